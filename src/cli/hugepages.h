/*
 * hugepages.h - transparent huge pages for sdccheck's own allocations.
 *
 * A table of a million cells has sdccheck touch several GiB of fresh
 * memory in all (grids, indexes and audits built and freed round after
 * round). On a kernel that gives transparent huge pages only to memory
 * that asks (/sys/kernel/mm/transparent_hugepage/enabled is "madvise",
 * Debian's default), each 4 KiB page of it is one page fault: 1.48
 * million faults and 14.6 s of system time protecting the 5-dimensional
 * bench table. glibc asks for huge pages for its heap when the tunable
 * glibc.malloc.hugetlb is 1 (glibc 2.35 and later), but reads tunables
 * only when a process starts: so sdccheck starts itself again, once, with
 * the tunable added (doc/design.md, "Memory and huge pages").
 */
#ifndef SDC_HUGEPAGES_H
#define SDC_HUGEPAGES_H

#include <stddef.h>

/* What GLIBC_TUNABLES should be for sdccheck to run again with huge pages,
 * into OUT (SIZE bytes): given the kernel's THP setting THP (the text of
 * the sysfs file, or NULL when unreadable), the current TUNABLES and
 * LD_PRELOAD (or NULL) and SDCCHECK_HUGE_PAGES (OPT, or NULL). NULL when
 * sdccheck should go on as it is: the kernel gives huge pages to every
 * process ("always") or to none ("never"), the tunable is set already
 * (by the user, or by the first start), the user said
 * SDCCHECK_HUGE_PAGES=0, or valgrind runs sdccheck (its preload in
 * LD_PRELOAD: a second start would escape it). */
const char *sdc_huge_pages_tunables(const char *thp, const char *tunables, const char *ld_preload,
                                    const char *opt, char *out, size_t size);

/* Starts sdccheck again with huge pages when sdc_huge_pages_tunables says
 * so (with ARGV; nothing has been read or written yet); returns when it
 * should go on as it is, or when starting again failed. */
void sdc_huge_pages_start(char **argv);

#endif
