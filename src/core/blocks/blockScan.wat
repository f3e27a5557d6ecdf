;; The block scan of blockGrid.ts (scanPass) in WebAssembly SIMD: four weights per instruction,
;; and compiled before it first runs — a CLI run is over before V8's JIT has warmed the
;; JavaScript loop, which then scans 25 M weights at a third of this speed.
;; Assembled by scripts/buildWasm.mjs into blockScanWasm.ts; a unit test checks that the two
;; agree. The weights lie in the imported memory (scanArena.ts) as little-endian float32s.
(module
  (import "env" "memory" (memory 1))
  ;; zeros counted so far: four lanes from the vector loop, one count from the scalar tails
  (global $lanes (mut v128) (v128.const i32x4 0 0 0 0))
  (global $tail (mut i32) (i32.const 0))

  ;; 1 when any of the n words at byte p has a non-zero magnitude (sign bit ignored: -0 is
  ;; zero), else 0; the zero words are added to $lanes / $tail.
  (func $run (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $any v128) (local $zeros v128) (local $m v128)
    (local $s i32) (local $anyTail i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $zeros (global.get $lanes))
    (block $vectorDone
      (loop $vector
        (br_if $vectorDone (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $m
          (v128.and
            (v128.load align=4 (local.get $p))
            (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $any (v128.or (local.get $any) (local.get $m)))
        ;; a zero lane compares to -1: subtracting it counts one
        (local.set $zeros
          (i32x4.sub (local.get $zeros) (i32x4.eq (local.get $m) (v128.const i32x4 0 0 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vector)))
    (global.set $lanes (local.get $zeros))
    (block $tailDone
      (loop $scalar
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (i32.and (i32.load align=4 (local.get $p)) (i32.const 0x7fffffff)))
        (local.set $anyTail (i32.or (local.get $anyTail) (local.get $s)))
        (global.set $tail (i32.add (global.get $tail) (i32.eqz (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $scalar)))
    (i32.or (v128.any_true (local.get $any)) (i32.ne (local.get $anyTail) (i32.const 0))))

  ;; scanPass: the weight at byte `base`, laid out as WeightLayout says; one byte per block
  ;; (0 all zero, 1 not) written at `mask`, index (g·rows + r)·cols + c. Returns the zeros.
  (func (export "scan")
    (param $base i32) (param $groups i32) (param $coutPerGroup i32) (param $cinPerGroup i32)
    (param $kernel i32) (param $groupStride i32) (param $outStride i32) (param $inStride i32)
    (param $blockOut i32) (param $blockIn i32) (param $rows i32) (param $cols i32)
    (param $mask i32) (result i32)
    (local $g i32) (local $o i32) (local $cb i32) (local $c i32) (local $c0 i32) (local $cEnd i32)
    (local $oBase i32) (local $rowBase i32) (local $any i32) (local $contiguous i32)
    (local $sum v128) (local $p i32) (local $end i32) (local $m v128) (local $anyVector v128)
    (local $zeros v128) (local $runBytes i32) (local $paired i32) (local $m2 v128)
    (local $at i32) (local $atEnd i32)
    (global.set $lanes (v128.const i32x4 0 0 0 0))
    (global.set $tail (i32.const 0))
    ;; a Conv weight's input channels are contiguous kernels: a block's row is one run
    (local.set $contiguous (i32.eq (local.get $inStride) (local.get $kernel)))
    ;; ...and when every run is the same whole number of vector pairs (8x8 blocks of a Conv
    ;; whose input channels are a multiple of 8: nearly every weight of a CNN), the runs of an
    ;; output channel follow each other and are scanned in one stream, two vectors a step, the
    ;; block's byte ORed in without a branch. 1x1 kernels make runs of 8 words, where the general
    ;; loop's bookkeeping and a mispredicted branch per run held the scan to a third of its speed.
    (local.set $runBytes
      (i32.shl (i32.mul (local.get $blockIn) (local.get $kernel)) (i32.const 2)))
    (local.set $paired
      (i32.and
        (i32.and
          (local.get $contiguous)
          (i32.and
            (i32.eqz (i32.and (local.get $runBytes) (i32.const 31)))
            (i32.ne (local.get $runBytes) (i32.const 0))))
        (i32.and
          (i32.ne (local.get $cols) (i32.const 0))
          (i32.eq
            (i32.mul (local.get $cols) (local.get $blockIn))
            (local.get $cinPerGroup)))))
    (block $groupsDone
      (loop $groupLoop
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $o (i32.const 0))
        (block $outDone
          (loop $outLoop
            (br_if $outDone (i32.ge_u (local.get $o) (local.get $coutPerGroup)))
            (local.set $rowBase
              (i32.mul
                (i32.add
                  (i32.mul (local.get $g) (local.get $rows))
                  (i32.div_u (local.get $o) (local.get $blockOut)))
                (local.get $cols)))
            (local.set $oBase
              (i32.add
                (i32.mul (local.get $g) (local.get $groupStride))
                (i32.mul (local.get $o) (local.get $outStride))))
            (if (local.get $paired)
              (then
                (local.set $p (i32.add (local.get $base) (i32.shl (local.get $oBase) (i32.const 2))))
                (local.set $at (i32.add (local.get $mask) (local.get $rowBase)))
                (local.set $atEnd (i32.add (local.get $at) (local.get $cols)))
                (loop $pairedRun
                  (local.set $end (i32.add (local.get $p) (local.get $runBytes)))
                  (local.set $anyVector (v128.const i32x4 0 0 0 0))
                  (loop $pair
                    (local.set $m
                      (v128.and
                        (v128.load align=4 (local.get $p))
                        (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
                    (local.set $m2
                      (v128.and
                        (v128.load offset=16 align=4 (local.get $p))
                        (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
                    (local.set $anyVector
                      (v128.or (local.get $anyVector) (v128.or (local.get $m) (local.get $m2))))
                    (local.set $zeros
                      (i32x4.sub
                        (i32x4.sub
                          (local.get $zeros)
                          (i32x4.eq (local.get $m) (v128.const i32x4 0 0 0 0)))
                        (i32x4.eq (local.get $m2) (v128.const i32x4 0 0 0 0))))
                    (local.set $p (i32.add (local.get $p) (i32.const 32)))
                    (br_if $pair (i32.lt_u (local.get $p) (local.get $end))))
                  (i32.store8
                    (local.get $at)
                    (i32.or (i32.load8_u (local.get $at)) (v128.any_true (local.get $anyVector))))
                  (local.set $at (i32.add (local.get $at) (i32.const 1)))
                  (br_if $pairedRun (i32.lt_u (local.get $at) (local.get $atEnd))))
                ;; the general loop below is skipped: it starts at the last block column
                (local.set $cb (local.get $cols)))
              (else (local.set $cb (i32.const 0))))
            (block $colsDone
              (loop $colLoop
                (br_if $colsDone (i32.ge_u (local.get $cb) (local.get $cols)))
                (local.set $c0 (i32.mul (local.get $cb) (local.get $blockIn)))
                (local.set $cEnd (i32.add (local.get $c0) (local.get $blockIn)))
                (if (i32.gt_u (local.get $cEnd) (local.get $cinPerGroup))
                  (then (local.set $cEnd (local.get $cinPerGroup))))
                (if (local.get $contiguous)
                  (then
                    ;; $run inline, its counts in locals: most weights of a ResNet are 1x1
                    ;; convolutions, whose block rows are 8 words, where a call per run cost
                    ;; half the scan
                    (local.set $p
                      (i32.add
                        (local.get $base)
                        (i32.shl
                          (i32.add (local.get $oBase) (i32.mul (local.get $c0) (local.get $kernel)))
                          (i32.const 2))))
                    (local.set $end
                      (i32.add
                        (local.get $p)
                        (i32.shl
                          (i32.mul (i32.sub (local.get $cEnd) (local.get $c0)) (local.get $kernel))
                          (i32.const 2))))
                    (local.set $anyVector (v128.const i32x4 0 0 0 0))
                    (block $vectorDone
                      (loop $vector
                        (br_if $vectorDone
                          (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
                        (local.set $m
                          (v128.and
                            (v128.load align=4 (local.get $p))
                            (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
                        (local.set $anyVector (v128.or (local.get $anyVector) (local.get $m)))
                        (local.set $zeros
                          (i32x4.sub
                            (local.get $zeros)
                            (i32x4.eq (local.get $m) (v128.const i32x4 0 0 0 0))))
                        (local.set $p (i32.add (local.get $p) (i32.const 16)))
                        (br $vector)))
                    (local.set $any (v128.any_true (local.get $anyVector)))
                    ;; a run of a multiple of 4 words has no tail
                    (if (i32.lt_u (local.get $p) (local.get $end))
                      (then
                        (local.set $any
                          (i32.or
                            (local.get $any)
                            (call $run
                              (local.get $p)
                              (i32.shr_u (i32.sub (local.get $end) (local.get $p)) (i32.const 2))))))))
                  (else
                    (local.set $any (i32.const 0))
                    (local.set $c (local.get $c0))
                    (block $inDone
                      (loop $inLoop
                        (br_if $inDone (i32.ge_u (local.get $c) (local.get $cEnd)))
                        (local.set $any
                          (i32.or
                            (local.get $any)
                            (call $run
                              (i32.add
                                (local.get $base)
                                (i32.shl
                                  (i32.add
                                    (local.get $oBase)
                                    (i32.mul (local.get $c) (local.get $inStride)))
                                  (i32.const 2)))
                              (local.get $kernel))))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $inLoop)))))
                ;; every output channel of a block row ORs into the block's byte
                (if (local.get $any)
                  (then
                    (i32.store8
                      (i32.add (local.get $mask) (i32.add (local.get $rowBase) (local.get $cb)))
                      (i32.const 1))))
                (local.set $cb (i32.add (local.get $cb) (i32.const 1)))
                (br $colLoop)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $outLoop)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groupLoop)))
    (local.set $sum (i32x4.add (global.get $lanes) (local.get $zeros)))
    (i32.add
      (global.get $tail)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
        (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum))))))
  ;; The L2 sums of blockScores.ts (accumulate, l2Only) for one group of contiguous kernels:
  ;; adds, per block, the sum of squares of its weights to the f64 at `out` + 8·block. Two f64
  ;; lanes, even and odd weights of each (output channel, block column) run, then their sum —
  ;; the JavaScript loop's order, so the scores, and the blocks a target selects, are the same
  ;; bit for bit.
  (func (export "squares")
    (param $base i32) (param $coutPerGroup i32) (param $cinPerGroup i32) (param $kernel i32)
    (param $outStride i32) (param $blockOut i32) (param $blockIn i32) (param $cols i32)
    (param $out i32)
    (local $o i32) (local $cb i32) (local $c0 i32) (local $cEnd i32)
    (local $oBase i32) (local $rowBase i32) (local $p i32) (local $end i32)
    (local $acc v128) (local $v v128) (local $q f64) (local $t f64) (local $at i32)
    (block $outDone
      (loop $outLoop
        (br_if $outDone (i32.ge_u (local.get $o) (local.get $coutPerGroup)))
        (local.set $rowBase
          (i32.mul (i32.div_u (local.get $o) (local.get $blockOut)) (local.get $cols)))
        (local.set $oBase (i32.mul (local.get $o) (local.get $outStride)))
        (local.set $cb (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_u (local.get $cb) (local.get $cols)))
            (local.set $c0 (i32.mul (local.get $cb) (local.get $blockIn)))
            (local.set $cEnd (i32.add (local.get $c0) (local.get $blockIn)))
            (if (i32.gt_u (local.get $cEnd) (local.get $cinPerGroup))
              (then (local.set $cEnd (local.get $cinPerGroup))))
            (local.set $p
              (i32.add
                (local.get $base)
                (i32.shl
                  (i32.add (local.get $oBase) (i32.mul (local.get $c0) (local.get $kernel)))
                  (i32.const 2))))
            (local.set $end
              (i32.add
                (local.get $p)
                (i32.shl
                  (i32.mul (i32.sub (local.get $cEnd) (local.get $c0)) (local.get $kernel))
                  (i32.const 2))))
            (local.set $acc (v128.const f64x2 0 0))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
                (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (local.get $p))))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v) (local.get $v))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $pairs)))
            (local.set $q (f64x2.extract_lane 0 (local.get $acc)))
            ;; an odd weight left: into the even lane, as in JavaScript
            (if (i32.lt_u (local.get $p) (local.get $end))
              (then
                (local.set $t (f64.promote_f32 (f32.load align=4 (local.get $p))))
                (local.set $q (f64.add (local.get $q) (f64.mul (local.get $t) (local.get $t))))))
            (local.set $q (f64.add (local.get $q) (f64x2.extract_lane 1 (local.get $acc))))
            (local.set $at
              (i32.add
                (local.get $out)
                (i32.shl (i32.add (local.get $rowBase) (local.get $cb)) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $q)))
            (local.set $cb (i32.add (local.get $cb) (i32.const 1)))
            (br $colLoop)))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br $outLoop))))
)
