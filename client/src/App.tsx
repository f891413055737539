export function App() {
  return (
    <main>
      <h1>Teleclass</h1>
      <p data-testid="app-ready">The lecture server is running.</p>
    </main>
  );
}
