/**
 * Turning decoded images into a model's input tensor, as torchvision's transforms do: resize
 * (bilinear, align_corners=False), scale to [0, 1], normalise per channel, lay out NCHW or NHWC.
 */

export interface Preprocess {
  /** Output height and width; undefined keeps the model input's. */
  readonly resize?: readonly [number, number];
  /** Per-channel mean and std after scaling (one value applies to every channel). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Divide 8-bit values by this first (default 255). */
  readonly scale: number;
  readonly layout: 'nchw' | 'nhwc';
}

export const DEFAULT_PREPROCESS: Preprocess = { mean: [0], std: [1], scale: 255, layout: 'nchw' };

/** Parses `resize=224x224,mean=0.485/0.456/0.406,std=…,scale=255,layout=nchw`; a string says why not. */
export function parsePreprocess(text: string): Preprocess | string {
  const out: { -readonly [K in keyof Preprocess]: Preprocess[K] } = { ...DEFAULT_PREPROCESS };
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value = ''] = part.split('=');
    const numbers = value.split(/[/:]/).map(Number);
    switch (key) {
      case 'resize': {
        const m = /^(\d+)x(\d+)$/.exec(value);
        if (!m) return `resize=${value}: expected HxW`;
        out.resize = [Number(m[1]), Number(m[2])];
        break;
      }
      case 'mean':
      case 'std':
        if (
          numbers.some((n) => !Number.isFinite(n)) ||
          (key === 'std' && numbers.some((n) => n === 0))
        )
          return `${key}=${value}: expected numbers separated by /`;
        out[key] = numbers;
        break;
      case 'scale':
        if (!(numbers[0] > 0)) return `scale=${value}: expected a positive number`;
        out.scale = numbers[0];
        break;
      case 'layout':
        if (value !== 'nchw' && value !== 'nhwc') return `layout=${value}: expected nchw or nhwc`;
        out.layout = value;
        break;
      default:
        return `unknown preprocess key '${key}' (resize, mean, std, scale, layout)`;
    }
  }
  return out;
}

/** An 8-bit image: height x width x channels (1, 3 or 4), row-major. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

/** Bilinear sample (align_corners=False, edges clamped) of channel c at output (y, x). */
function bilinear(img: RasterImage, c: number, y: number, x: number, oh: number, ow: number) {
  const sy = Math.max(0, ((y + 0.5) * img.height) / oh - 0.5);
  const sx = Math.max(0, ((x + 0.5) * img.width) / ow - 0.5);
  const y0 = Math.min(Math.floor(sy), img.height - 1);
  const x0 = Math.min(Math.floor(sx), img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const fy = sy - y0;
  const fx = sx - x0;
  const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * img.channels + c];
  return (
    (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) +
    fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1))
  );
}

/**
 * One image as the model's input for one sample: `channels` 1 (luma, ITU-R 601 as PIL's "L")
 * or 3 (RGB; alpha dropped), resized to height x width.
 */
export function imageToTensor(
  img: RasterImage,
  channels: number,
  height: number,
  width: number,
  p: Preprocess,
): Float32Array {
  const out = new Float32Array(channels * height * width);
  const gray = img.channels < 3;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const rgb = gray
        ? [0, 0, 0].map(() => bilinear(img, 0, y, x, height, width))
        : [0, 1, 2].map((c) => bilinear(img, c, y, x, height, width));
      const values = channels === 1 ? [(rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 1000] : rgb;
      for (let c = 0; c < channels; c++) {
        const v = (values[c] / p.scale - (p.mean[c] ?? p.mean[0])) / (p.std[c] ?? p.std[0]);
        const at =
          p.layout === 'nchw' ? (c * height + y) * width + x : (y * width + x) * channels + c;
        out[at] = v;
      }
    }
  return out;
}
