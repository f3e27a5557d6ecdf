import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as JpegJs from 'jpeg-js';
import type * as Npyjs from 'npyjs';
import type * as Pngjs from 'pngjs';
import { imageToTensor, type Preprocess, type RasterImage } from '../core/accuracy/preprocess';

/** Labelled (or unlabelled) samples, read one at a time as a model's input. */
export interface Dataset {
  readonly samples: number;
  /** The class index of each sample, when known. */
  readonly labels: Int32Array | undefined;
  /** Class names (an image folder's subfolders), when known. */
  readonly classes: readonly string[] | undefined;
  /** Sample i as the input [channels, height, width] (or its NHWC order) of a model. */
  sample(i: number, input: readonly number[]): Float32Array;
}

/** A dataset that cannot be read, and why. */
export class DatasetError extends Error {}

const IMAGE = /\.(png|jpe?g)$/i;

/*
 * The decoders are loaded when a dataset is read, not with the CLI: pngjs alone (and the zlib
 * it brings) was a tenth of the start of every `blocksparse analyze`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const pngjs = () => require('pngjs') as typeof Pngjs;
const jpegJs = () => require('jpeg-js') as typeof JpegJs;
const npyjs = () => require('npyjs') as typeof Npyjs;
/* eslint-enable @typescript-eslint/no-require-imports */

/** An 8-bit raster from a PNG or JPEG file (pngjs / jpeg-js: pure JS, no native code). */
export function decodeImage(file: string): RasterImage {
  const bytes = fs.readFileSync(file);
  try {
    if (/\.png$/i.test(file)) {
      const png = pngjs().PNG.sync.read(bytes);
      return { width: png.width, height: png.height, channels: 4, data: png.data };
    }
    const img = jpegJs().decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 1024,
    });
    return { width: img.width, height: img.height, channels: 4, data: img.data };
  } catch (e) {
    throw new DatasetError(`${file}: not a readable image (${(e as Error).message})`);
  }
}

function readNpy(file: string) {
  const bytes = fs.readFileSync(file);
  let parsed: ReturnType<typeof Npyjs.parse>;
  try {
    parsed = npyjs().parse(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  } catch (e) {
    throw new DatasetError(`${file}: not a .npy array (${(e as Error).message})`);
  }
  const { data, shape, fortranOrder } = parsed;
  if (fortranOrder)
    throw new DatasetError(
      `${file}: Fortran-ordered arrays are not read; save with np.ascontiguousarray`,
    );
  const n = shape.reduce((a: number, b: number) => a * b, 1);
  if (
    typeof data === 'string' ||
    Array.isArray(data) ||
    (data as unknown as ArrayLike<unknown>).length < n
  )
    throw new DatasetError(`${file}: the data does not fill its shape [${shape.join(', ')}]`);
  return { data: data as unknown as ArrayLike<number | bigint>, shape: shape as number[] };
}

/** Inputs [N, ...] from a .npy array, labels [N] from another (ints). */
function npyDataset(file: string, labelsFile: string | undefined, p: Preprocess): Dataset {
  const x = readNpy(file);
  const samples = x.shape[0] ?? 0;
  const per = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const eightBit = x.data instanceof Uint8Array;
  let labels: Int32Array | undefined;
  if (labelsFile) {
    const y = readNpy(labelsFile);
    if (y.shape[0] !== samples)
      throw new DatasetError(`${labelsFile}: ${y.shape[0]} labels for ${samples} samples`);
    labels = Int32Array.from({ length: samples }, (_, i) => Number(y.data[i]));
  }
  return {
    samples,
    labels,
    classes: undefined,
    sample(i, input) {
      const need = input.reduce((a, b) => a * b, 1);
      if (need !== per)
        throw new DatasetError(
          `${file}: a sample has ${per} values, the model takes [${input.join(', ')}]`,
        );
      const out = new Float32Array(per);
      for (let k = 0; k < per; k++) {
        const v = Number(x.data[i * per + k]);
        // 8-bit arrays are images: scaled and normalised like decoded files
        out[k] = eightBit ? (v / p.scale - (p.mean[0] ?? 0)) / (p.std[0] ?? 1) : v;
      }
      return out;
    },
  };
}

/** An image folder: one subfolder per class (sorted, as torchvision's ImageFolder numbers them). */
function folderDataset(dir: string, p: Preprocess): Dataset {
  const classes = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classes.length === 0)
    throw new DatasetError(`${dir}: no class subfolders (expected DIR/<class>/<image>.png)`);
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, k) => {
    for (const f of fs
      .readdirSync(path.join(dir, c))
      .filter((f) => IMAGE.test(f))
      .sort()) {
      files.push(path.join(dir, c, f));
      labels.push(k);
    }
  });
  if (files.length === 0)
    throw new DatasetError(`${dir}: no PNG or JPEG images in its class folders`);
  return {
    samples: files.length,
    labels: Int32Array.from(labels),
    classes,
    sample(i, input) {
      const [a, b, c] = input;
      const [channels, height, width] = p.layout === 'nchw' ? [a, b, c] : [c, a, b];
      const [h, w] = p.resize ?? [height, width];
      if (h !== height || w !== width)
        throw new DatasetError(
          `resize=${h}x${w} does not give the model's ${height}x${width} input`,
        );
      return imageToTensor(decodeImage(files[i]), channels, height, width, p);
    },
  };
}

/** The dataset at `data`: an image folder or a .npy array (with `labels` as another .npy). */
export function openDataset(data: string, labels: string | undefined, p: Preprocess): Dataset {
  if (!fs.existsSync(data)) throw new DatasetError(`${data}: no such file or folder`);
  if (fs.statSync(data).isDirectory()) return folderDataset(data, p);
  if (/\.npy$/i.test(data)) return npyDataset(data, labels, p);
  throw new DatasetError(`${data}: expected an image folder or a .npy file`);
}
