import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Starts an ingest ffmpeg that dies with the server: through util-linux's `setpriv --pdeathsig`,
 * the kernel sends it SIGKILL when the process that started it ends, however it ends. A listener
 * left behind by a crash (SIGKILL, the OOM killer) kept the lecture's SRT port and passphrase:
 * the restarted server's listener moved to the next port, and the control room's encoder,
 * reconnecting to the URL it knew, fed an orphan whose RTP went nowhere. `setpriv` execs
 * ffmpeg in its place (the same pid: killing the child kills ffmpeg).
 */
export function spawnTied(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], options);
}
