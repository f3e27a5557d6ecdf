/**
 * The bytes of a 0/1 mask that are 1: four at a time, as the sum of a word's bytes. Masks have
 * a byte per block (240,000 in ResNet-50) and are counted several times a layer: a reduce with
 * a callback per byte was a tenth of the planner's time in a one-shot CLI run.
 */
export function countOnes(mask: Uint8Array): number {
  let count = 0;
  let i = 0;
  if (mask.byteOffset % 4 === 0) {
    const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length >>> 2);
    // each byte is 0 or 1, so the four add up in the top byte without a carry out of it
    for (let w = 0; w < words.length; w++) count += Math.imul(words[w], 0x01010101) >>> 24;
    i = words.length * 4;
  }
  for (; i < mask.length; i++) count += mask[i];
  return count;
}
