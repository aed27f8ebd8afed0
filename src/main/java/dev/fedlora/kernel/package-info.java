/**
 * Dense kernels behind one small seam: {@link dev.fedlora.kernel.Gemm}, the row-major single
 * precision matrix product {@code C = alpha op(A) op(B) + beta C}. {@link
 * dev.fedlora.kernel.OpenBlasGemm} runs it on OpenBLAS (single-threaded, so Spark's parallel
 * tasks neither oversubscribe the cores nor change results), {@link
 * dev.fedlora.kernel.ReferenceGemm} is the plain-Java reference the tests compare it with. A GPU
 * implementation would be one more class here.
 */
package dev.fedlora.kernel;
