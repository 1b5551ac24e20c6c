/* test_depcycles.c - tools/depcycles.sh finds the cycles `make lint`
 * forbids, between objects and between stages, and passes a one-way graph.
 * Runs from the repository root (as `make test` does), with cc and nm. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Compiles SOURCE into DIR/lib/STAGE/NAME.o. */
static void object(const char *dir, const char *stage, const char *name, const char *source)
{
    char sub[128], cmd[512];
    snprintf(sub, sizeof sub, "%s/lib/%s", dir, stage);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", sub);
    cr_assert_eq(system(cmd), 0);
    char *src = put_file(sub, "x.c", source);
    cr_assert_not_null(src);
    snprintf(cmd, sizeof cmd, "cc -c -o '%s/%s.o' '%s'", sub, name, src);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    free(src);
}

/* Runs depcycles.sh on every object under DIR; its output in OUT, its exit
 * status returned. */
static int depcycles_ordered(const char *dir, const char *order, char *out, size_t size)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "STAGE_ORDER='%s' sh tools/depcycles.sh %s/lib/*/*.o 2>&1", order,
             dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = 0;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int depcycles(const char *dir, char *out, size_t size)
{
    return depcycles_ordered(dir, "", out, size);
}

Test(depcycles, two_objects_that_call_each_other_are_a_cycle_named_with_its_symbols)
{
    char dir[64], out[4096];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "depcycles"));
    object(dir, "read", "a", "int b_fn(void); int a_fn(void) { return b_fn(); }");
    object(dir, "read", "b", "int a_fn(void); int b_fn(void) { return a_fn() + 1; }");
    cr_assert_eq(depcycles(dir, out, sizeof out), 1, "%s", out);
    cr_assert_not_null(strstr(out, "object cycle 1: read/a <-> read/b"), "%s", out);
    cr_assert_not_null(strstr(out, "read/a -> read/b: b_fn"), "%s", out);
    cr_assert_not_null(strstr(out, "read/b -> read/a: a_fn"), "%s", out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(depcycles, stages_that_use_each_other_are_a_cycle_even_when_objects_are_not)
{
    /* core/a uses rules/b, rules/b uses core/c: no object cycle, but the
     * stages core and rules depend on each other. */
    char dir[64], out[4096];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "depcycles"));
    object(dir, "core", "a", "int b_fn(void); int a_fn(void) { return b_fn(); }");
    object(dir, "rules", "b", "int c_fn(void); int b_fn(void) { return c_fn(); }");
    object(dir, "core", "c", "int c_fn(void) { return 3; }");
    cr_assert_eq(depcycles(dir, out, sizeof out), 1, "%s", out);
    cr_assert_not_null(strstr(out, "3 objects, 2 dependencies between them, no cycles"), "%s", out);
    cr_assert_not_null(strstr(out, "stage cycle 1: core <-> rules"), "%s", out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(depcycles, a_graph_where_data_flows_one_way_passes)
{
    char dir[64], out[4096];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "depcycles"));
    object(dir, "check", "a", "int b_fn(void); int a_fn(void) { return b_fn(); }");
    object(dir, "rules", "b", "int c_fn(void); int b_fn(void) { return c_fn(); }");
    object(dir, "core", "c", "int c_fn(void) { return 3; }");
    cr_assert_eq(depcycles(dir, out, sizeof out), 0, "%s", out);
    cr_assert_not_null(strstr(out, "3 stages, 2 dependencies between them, no cycles"), "%s", out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(depcycles, a_stage_that_uses_one_listed_after_it_breaks_the_declared_order)
{
    char dir[64], out[4096];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "depcycles"));
    object(dir, "check", "a", "int b_fn(void); int a_fn(void) { return b_fn(); }");
    object(dir, "rules", "b", "int c_fn(void); int b_fn(void) { return c_fn(); }");
    object(dir, "core", "c", "int c_fn(void) { return 3; }");
    cr_assert_eq(depcycles_ordered(dir, "core rules check", out, sizeof out), 0, "%s", out);
    cr_assert_not_null(strstr(out, "every stage uses only the stages before it"), "%s", out);
    cr_assert_eq(depcycles_ordered(dir, "rules core check", out, sizeof out), 1, "%s", out);
    cr_assert_not_null(strstr(out, "stage rules uses core, which STAGE_ORDER lists after it: c_fn"),
                       "%s", out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
