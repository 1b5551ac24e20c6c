/* need_tool.h - what a test does when a program it needs is missing. */
#ifndef SDC_TEST_NEED_TOOL_H
#define SDC_TEST_NEED_TOOL_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True when running in CI (CI=true, as CI services set it). */
static inline bool sdc_test_in_ci(void)
{
    const char *ci = getenv("CI");
    return ci && strcmp(ci, "true") == 0;
}

/* A test that needs the program PATH (from Debian package PACKAGE, which
 * tools/setup.sh installs): when it is missing, a failure in CI and a skip
 * saying so elsewhere - never a silent pass. (A macro: it needs
 * Criterion's cr_skip_test and cr_assert_fail.) */
#define SDC_TEST_NEED_TOOL(path, package)                                                          \
    do {                                                                                           \
        if (access((path), X_OK) != 0) {                                                           \
            if (sdc_test_in_ci())                                                                  \
                cr_assert_fail("%s is missing in CI: tools/setup.sh installs Debian's %s", (path), \
                               (package));                                                         \
            cr_skip_test("%s is not installed (Debian package %s; tools/setup.sh installs it)",    \
                         (path), (package));                                                       \
        }                                                                                          \
    } while (0)

#endif
