/**
 * Which simulcast layer a viewer needs: the smallest whose height covers the size the video is
 * shown at. The camera is captured at up to 720p and sent in layers scaled down by
 * `scaleResolutionDownBy` (4, 2, 1 → 180p, 360p, 720p). mediasoup's bandwidth estimation may then
 * forward a lower layer than this preference, never a higher one.
 */
export const CAPTURE_HEIGHT = 720;

/** A layer covers a viewport when it has at least this share of the shown height. */
const COVERAGE = 0.8;

export function spatialLayerFor(viewportHeight: number, scales: readonly number[]): number {
  if (scales.length <= 1) return 0;
  const heights = scales.map((s) => CAPTURE_HEIGHT / (s > 0 ? s : 1));
  const fit = heights.findIndex((h) => h >= viewportHeight * COVERAGE);
  return fit === -1 ? scales.length - 1 : fit;
}

/** The scale factors of simulcast layers, lowest first: each layer doubles the one below. */
export function layerScales(layerCount: number): number[] {
  return Array.from({ length: layerCount }, (_, i) => 2 ** (layerCount - 1 - i));
}

/** Where a viewer's video starts: the lowest layer, every frame rate of it (the policy or its size raises it). */
export const LOWEST_LAYERS = { spatialLayer: 0, temporalLayer: 2 } as const;
