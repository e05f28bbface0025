#ifndef STRATA_CLINEARALGEBRA_SHIM_H
#define STRATA_CLINEARALGEBRA_SHIM_H
// OpenBLAS's cblas.h also declares openblas_get_config / openblas_set_num_threads.
#include <cblas.h>
#include <lapacke.h>
#endif
