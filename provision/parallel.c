/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Work on every core: item i of n handed to fn by a small pool of
 * threads (this one included). Used for the run's certificates and kit
 * signatures, whose items are independent.
 */
#include "prov_int.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 16

typedef struct pool {
	pthread_mutex_t lock;
	ccp_prov_item_fn fn;
	void *ctx;
	size_t n;
	size_t next;             /* next item to take */
	size_t failed_at;        /* lowest failed item, or n */
	int rc;
	ccp_error err;
} pool;

static void *worker(void *arg)
{
	pool *w = arg;

	for (;;) {
		size_t i;
		ccp_error e;
		int rc;

		pthread_mutex_lock(&w->lock);
		i = w->rc == 0 ? w->next++ : w->n;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->n)
			return NULL;
		ccp_error_clear(&e);
		rc = w->fn(w->ctx, i, &e);
		if (rc < 0) {
			pthread_mutex_lock(&w->lock);
			/* the first item's failure, whatever the timing */
			if (i < w->failed_at) {
				w->failed_at = i;
				w->rc = rc;
				w->err = e;
			}
			pthread_mutex_unlock(&w->lock);
		}
	}
}

int ccp_prov_parallel(size_t n, int threads, ccp_prov_item_fn fn, void *ctx,
		      ccp_error *err)
{
	pool w;
	pthread_t th[MAX_THREADS];
	size_t i, nth, started = 0;

	if (threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus > 0 && cpus < 1024 ? (int)cpus : 1;
	}
	nth = (size_t)threads < n ? (size_t)threads : n;
	if (nth > MAX_THREADS)
		nth = MAX_THREADS;
	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.ctx = ctx;
	w.n = n;
	w.failed_at = n;
	if (pthread_mutex_init(&w.lock, NULL) != 0)
		return ccp_error_set(err, CCP_EGENERIC, "cannot create a mutex");
	for (i = 1; i < nth; i++)
		if (pthread_create(&th[started], NULL, worker, &w) == 0)
			started++;
	worker(&w); /* this thread works too */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.lock);
	if (w.rc < 0)
		return ccp_error_set(err, w.rc, "%s", w.err.message);
	return 0;
}
