/*
 * hugepages.c - transparent huge pages for sdccheck's own allocations
 * (see hugepages.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hugepages.h"

/* Built with a sanitizer, malloc is the sanitizer's: glibc's tunables do
 * nothing, and a second start would only cost. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define SANITIZED 1
#endif
#endif

#define TUNABLE "glibc.malloc.hugetlb"

const char *sdc_huge_pages_tunables(const char *thp, const char *tunables, const char *ld_preload,
                                    const char *opt, char *out, size_t size)
{
    if (!thp || !strstr(thp, "[madvise]"))
        return NULL;
    if (opt && strcmp(opt, "0") == 0)
        return NULL;
    if (tunables && strstr(tunables, TUNABLE))
        return NULL;
    if (ld_preload && strstr(ld_preload, "vgpreload"))
        return NULL;
    int n = tunables && *tunables ? snprintf(out, size, "%s:" TUNABLE "=1", tunables)
                                  : snprintf(out, size, TUNABLE "=1");
    return n > 0 && (size_t)n < size ? out : NULL;
}

void sdc_huge_pages_start(char **argv)
{
#if defined(__linux__) && defined(__GLIBC__) && !defined(SANITIZED)
    char thp[128] = {0};
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    bool have = f && fgets(thp, sizeof thp, f);
    if (f)
        fclose(f);
    char value[4096];
    const char *want =
        sdc_huge_pages_tunables(have ? thp : NULL, getenv("GLIBC_TUNABLES"), getenv("LD_PRELOAD"),
                                getenv("SDCCHECK_HUGE_PAGES"), value, sizeof value);
    /* By the binary's own path, not /proc/self/exe: the process keeps its
     * name (ps, pgrep and top show "sdccheck", not "exe"). */
    char self[4096];
    ssize_t n = want ? readlink("/proc/self/exe", self, sizeof self - 1) : -1;
    if (n <= 0 || (size_t)n >= sizeof self - 1)
        return;
    self[n] = '\0';
    if (setenv("GLIBC_TUNABLES", want, 1) != 0)
        return;
    execv(self, argv);
    /* Not started again (the binary replaced or gone since): go on as this
     * process; the tunable left in the environment does no harm. */
#else
    (void)argv;
#endif
}
