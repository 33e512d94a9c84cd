/* zkv: shard slicing, shard of a zone id, member keys, periods, done maps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "zerr.h"
#include "zkv.h"

static void
one_member_takes_everything(void **state)
{
	int	a, b;

	(void)state;
	assert_int_equal(zkv_shards(1, 0, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 4095);
}

static void
three_members_designate_slices(void **state)
{
	int	a, b;

	(void)state;
	assert_int_equal(zkv_shards(3, 0, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1365);
	assert_int_equal(zkv_shards(3, 1, &a, &b), 0);
	assert_int_equal(a, 1366);
	assert_int_equal(b, 2731);
	assert_int_equal(zkv_shards(3, 2, &a, &b), 0);
	assert_int_equal(a, 2732);
	assert_int_equal(b, 4095);
}

/* every n from 1 to 5000: the slices are disjoint, contiguous, in order
 * and cover 0..4095; only trailing slices may be empty */
static void
slices_partition_the_space(void **state)
{
	int	n, i, a, b, next, empty;

	(void)state;
	for (n = 1; n <= 5000; n++) {
		next = 0;
		empty = 0;
		for (i = 0; i < n; i++) {
			if (zkv_shards(n, i, &a, &b) != 0) {
				empty = 1;
				continue;
			}
			assert_false(empty);
			assert_int_equal(a, next);
			assert_true(b >= a);
			assert_true(b - a + 1 <= (4096 + n - 1) / n);
			next = b + 1;
		}
		assert_int_equal(next, 4096);
	}
}

static void
bad_slices_are_refused(void **state)
{
	int	a, b;

	(void)state;
	assert_int_equal(zkv_shards(0, 0, &a, &b), ZE_NOTFOUND);
	assert_int_equal(zkv_shards(3, 3, &a, &b), ZE_NOTFOUND);
	assert_int_equal(zkv_shards(3, -1, &a, &b), ZE_NOTFOUND);
	/* ceil(4096 / 4095) = 2: member 2048 has nothing left */
	assert_int_equal(zkv_shards(4095, 2047, &a, &b), 0);
	assert_int_equal(b, 4095);
	assert_int_equal(zkv_shards(4095, 2048, &a, &b), ZE_NOTFOUND);
}

static void
shard_is_first_three_hex_digits(void **state)
{
	(void)state;
	assert_int_equal(zkv_shard_of("404a90e1-687b-4f70-8826-19ab2767c76c"),
	    0x404);
	assert_int_equal(zkv_shard_of("fffa90e1-687b-4f70-8826-19ab2767c76c"),
	    4095);
	assert_int_equal(zkv_shard_of("000"), 0);
	assert_int_equal(zkv_shard_of("ABC"), 0xabc);
	assert_int_equal(zkv_shard_of("0g0"), -1);
	assert_int_equal(zkv_shard_of("ab"), -1);
	assert_int_equal(zkv_shard_of(NULL), -1);
}

static void
member_keys_are_valid_kv_keys(void **state)
{
	char	k[ZKV_KEYLEN];

	(void)state;
	assert_int_equal(zkv_member_key(k, sizeof(k), "ns1.example.net",
	    1234, 0xbeef), 0);
	assert_string_equal(k, "ns1_example_net-1234-0000beef");
	assert_true(zkv_key_valid(k));
	assert_int_equal(zkv_member_key(k, sizeof(k), "h\xc3\xa9 st*", 1, 1),
	    0);
	assert_string_equal(k, "h___st_-1-00000001");
	assert_int_equal(zkv_member_key(k, sizeof(k), "", 7, 0), 0);
	assert_string_equal(k, "localhost-7-00000000");
	assert_int_equal(zkv_member_key(k, 8, "host", 1, 1), -ENOBUFS);
}

static void
kv_key_rules(void **state)
{
	(void)state;
	assert_true(zkv_key_valid("exists.lock"));
	assert_true(zkv_key_valid("a-b_c=d/e.f"));
	assert_false(zkv_key_valid(""));
	assert_false(zkv_key_valid(".a"));
	assert_false(zkv_key_valid("a."));
	assert_false(zkv_key_valid("a b"));
	assert_false(zkv_key_valid("a*"));
	assert_false(zkv_key_valid("a>"));
	assert_false(zkv_key_valid(NULL));
}

static void
index_in_sorted_list(void **state)
{
	char	*keys[] = { "a-1", "b-2", "c-3" };

	(void)state;
	assert_int_equal(zkv_index(keys, 3, "b-2"), 1);
	assert_int_equal(zkv_index(keys, 3, "d-4"), -1);
	assert_int_equal(zkv_index(NULL, 0, "a-1"), -1);
}

static void
periods_align_to_the_wall_clock(void **state)
{
	(void)state;
	assert_int_equal(zkv_period(1795624219, 3600), 1795622400);
	assert_int_equal(zkv_period(1795622400, 3600), 1795622400);
	assert_int_equal(zkv_period(10, 3), 9);
	assert_int_equal(zkv_period(-1, 3), -3);
	assert_int_equal(zkv_period(5, 0), 5);
}

static void
todo_finds_undone_runs(void **state)
{
	uint8_t	done[ZKV_DONE_BYTES];
	int	a, b;

	(void)state;
	memset(done, 0, sizeof(done));
	assert_int_equal(zkv_todo(done, 0, 1365, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1365);
	zkv_done_set(done, 0, 1365);
	assert_int_equal(zkv_todo(done, 0, 1365, &a, &b), ZE_NOTFOUND);
	/* the slice grows from 0..1365 to 0..2047 (a member left) */
	assert_int_equal(zkv_todo(done, 0, 2047, &a, &b), 0);
	assert_int_equal(a, 1366);
	assert_int_equal(b, 2047);
	/* a hole in the middle, then the rest */
	zkv_done_set(done, 1500, 1600);
	assert_int_equal(zkv_todo(done, 1000, 2047, &a, &b), 0);
	assert_int_equal(a, 1366);
	assert_int_equal(b, 1499);
	zkv_done_set(done, a, b);
	assert_int_equal(zkv_todo(done, 1000, 2047, &a, &b), 0);
	assert_int_equal(a, 1601);
	assert_int_equal(b, 2047);
	assert_true(zkv_done_get(done, 1365));
	assert_false(zkv_done_get(done, 1601));
	/* clamped at both ends */
	zkv_done_set(done, -5, 5000);
	assert_int_equal(zkv_todo(done, -1, 9999, &a, &b), ZE_NOTFOUND);
}

static void
periods_roll_and_catch_up(void **state)
{
	struct zkv_periods	ps;
	int			a, b;

	(void)state;
	zkv_periods_init(&ps);
	/* a copy that just started finishes nothing of the period before */
	assert_int_equal(zkv_periods_roll(&ps, 300, 3, 0, 1365), 1);
	assert_int_equal(zkv_periods_prev(&ps, 0, 1365, &a, &b), ZE_NOTFOUND);
	assert_int_equal(zkv_periods_roll(&ps, 300, 3, 0, 1365), 0);
	/* half done when the next period comes: the rest is left */
	zkv_done_set(ps.done, 0, 700);
	assert_int_equal(zkv_periods_roll(&ps, 303, 3, 0, 1365), 1);
	assert_int_equal(zkv_todo(ps.done, 0, 1365, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(zkv_periods_prev(&ps, 0, 1365, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1365);
	assert_int_equal(zkv_todo(ps.prev, a, b, &a, &b), 0);
	assert_int_equal(a, 701);
	assert_int_equal(b, 1365);
	/* ... within the slice held now: it shrank */
	assert_int_equal(zkv_periods_prev(&ps, 0, 1023, &a, &b), 0);
	assert_int_equal(b, 1023);
	assert_int_equal(zkv_periods_prev(&ps, 2048, 4095, &a, &b),
	    ZE_NOTFOUND);
	/* a stall skipped period 306: all of it is left */
	zkv_done_set(ps.done, 0, 1365);
	assert_int_equal(zkv_periods_roll(&ps, 309, 3, 0, 1365), 1);
	assert_int_equal(zkv_todo(ps.prev, 0, 1365, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1365);
	/* no slice held at the change: nothing */
	assert_int_equal(zkv_periods_roll(&ps, 312, 3, -1, -1), 1);
	assert_int_equal(zkv_periods_prev(&ps, 0, 1365, &a, &b), ZE_NOTFOUND);
	/* the clock went back: nothing */
	assert_int_equal(zkv_periods_roll(&ps, 303, 3, 0, 1365), 1);
	assert_int_equal(zkv_periods_prev(&ps, 0, 1365, &a, &b), ZE_NOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_member_takes_everything),
		cmocka_unit_test(three_members_designate_slices),
		cmocka_unit_test(slices_partition_the_space),
		cmocka_unit_test(bad_slices_are_refused),
		cmocka_unit_test(shard_is_first_three_hex_digits),
		cmocka_unit_test(member_keys_are_valid_kv_keys),
		cmocka_unit_test(kv_key_rules),
		cmocka_unit_test(index_in_sorted_list),
		cmocka_unit_test(periods_align_to_the_wall_clock),
		cmocka_unit_test(todo_finds_undone_runs),
		cmocka_unit_test(periods_roll_and_catch_up),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zkv", tests, NULL, NULL);
}
