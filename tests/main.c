/* main() of the kit's own tests: the OpenBLAS kernels are chosen as in every
 * program of the kit (dk_blas_init) before any test runs, so that the sgemm
 * self-test checks the kernels the kit really uses. */
#include "blas.h"

#include <criterion/criterion.h>

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1);
    struct criterion_test_set *tests = criterion_initialize();
    int status = 0;
    if (criterion_handle_args(argc, argv, true))
        status = !criterion_run_all_tests(tests);
    criterion_finalize(tests);
    return status;
}
