/* test_hugepages.c - when sdccheck starts itself again with glibc's
 * huge-page tunable (src/cli/hugepages.c), from the kernel's setting and
 * the environment as given (the sysfs text as the kernel writes it:
 * Documentation/admin-guide/mm/transhuge.rst), and that the second start
 * changes nothing a user sees. */
#include <criterion/criterion.h>

#include "../src/cli/hugepages.h"

static const char *const MADVISE = "always [madvise] never\n";

Test(hugepages, madvise_mode_adds_the_tunable_once)
{
    char buf[256];
    const char *t = sdc_huge_pages_tunables(MADVISE, NULL, NULL, NULL, buf, sizeof buf);
    cr_assert_not_null(t);
    cr_assert_str_eq(t, "glibc.malloc.hugetlb=1");
    /* the second start sees it set: no third */
    cr_assert_null(sdc_huge_pages_tunables(MADVISE, t, NULL, NULL, buf, sizeof buf));
}

Test(hugepages, other_tunables_are_kept)
{
    char buf[256];
    const char *t =
        sdc_huge_pages_tunables(MADVISE, "glibc.malloc.arena_max=2", NULL, NULL, buf, sizeof buf);
    cr_assert_not_null(t);
    cr_assert_str_eq(t, "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    t = sdc_huge_pages_tunables(MADVISE, "", NULL, NULL, buf, sizeof buf);
    cr_assert_str_eq(t, "glibc.malloc.hugetlb=1");
}

Test(hugepages, nothing_to_do_when_the_kernel_decides_for_every_process)
{
    char buf[256];
    cr_assert_null(
        sdc_huge_pages_tunables("[always] madvise never\n", NULL, NULL, NULL, buf, sizeof buf));
    cr_assert_null(
        sdc_huge_pages_tunables("always madvise [never]\n", NULL, NULL, NULL, buf, sizeof buf));
    cr_assert_null(sdc_huge_pages_tunables(NULL, NULL, NULL, NULL, buf, sizeof buf));
}

Test(hugepages, the_user_and_valgrind_keep_sdccheck_as_started)
{
    char buf[256];
    /* the user's own choice of the tunable, either way */
    cr_assert_null(
        sdc_huge_pages_tunables(MADVISE, "glibc.malloc.hugetlb=0", NULL, NULL, buf, sizeof buf));
    cr_assert_null(sdc_huge_pages_tunables(MADVISE, NULL, NULL, "0", buf, sizeof buf));
    cr_assert_not_null(sdc_huge_pages_tunables(MADVISE, NULL, NULL, "1", buf, sizeof buf));
    /* valgrind's preload, as valgrind 3.19 sets it: a second start would
     * run outside it */
    cr_assert_null(
        sdc_huge_pages_tunables(MADVISE, NULL,
                                "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so:"
                                "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
                                NULL, buf, sizeof buf));
    cr_assert_not_null(
        sdc_huge_pages_tunables(MADVISE, NULL, "/usr/lib/libfoo.so", NULL, buf, sizeof buf));
}

Test(hugepages, tunables_too_long_for_the_buffer_are_left_alone)
{
    char buf[24];
    cr_assert_null(
        sdc_huge_pages_tunables(MADVISE, "glibc.malloc.arena_max=2", NULL, NULL, buf, sizeof buf));
}
