package devsessions_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// pagedClient serves total items from pre-built pages and allocates nothing
// per call, so that a benchmark measures the paginator, not the fake. Its
// token is the index of the next page.
type pagedClient struct {
	pageSize int32
	pages    []*codecatalyst.ListDevEnvironmentSessionsOutput
}

func newPagedClient(total int, pageSize int32) *pagedClient {
	items := devsessionstest.Sessions(total)
	c := &pagedClient{pageSize: pageSize}
	for i := 0; i*int(pageSize) < total; i++ {
		out := &codecatalyst.ListDevEnvironmentSessionsOutput{Items: items[i*int(pageSize) : min((i+1)*int(pageSize), total)]}
		if (i+1)*int(pageSize) < total {
			out.NextToken = aws.String(strconv.Itoa(i + 1))
		}
		c.pages = append(c.pages, out)
	}
	return c
}

func (c *pagedClient) ListDevEnvironmentSessions(_ context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if in.MaxResults == nil || *in.MaxResults != c.pageSize {
		return nil, fmt.Errorf("maxResults %v, want %d", in.MaxResults, c.pageSize)
	}
	i := 0
	if in.NextToken != nil {
		i, _ = strconv.Atoi(*in.NextToken)
	}
	return c.pages[i], nil
}

// perPage runs loop (one full traversal per call) under b.Loop and reports
// time, CPU time of the whole process (the GC's workers included),
// allocations and bytes per page.
func perPage(b *testing.B, pages int, loop func() int) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpuStart := time.Now(), processCPU()
	n := 0
	for b.Loop() {
		if got := loop(); got != pages {
			b.Fatalf("traversed %d pages, want %d", got, pages)
		}
		n++
	}
	elapsed, cpu := time.Since(start), processCPU()-cpuStart
	runtime.ReadMemStats(&after)
	total := float64(n * pages)
	b.ReportMetric(float64(elapsed.Nanoseconds())/total, "ns/page")
	b.ReportMetric(float64(cpu.Nanoseconds())/total, "cpu-ns/page")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/page")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/page")
}

const benchItems = 12000

// BenchmarkPage compares the cost per page of the SDK's generated paginator
// with ours: with no options, with MaxItems, and resuming from a token.
func BenchmarkPage(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int32{1, 50, 200} {
		client := newPagedClient(benchItems, size)
		pages := len(client.pages)
		in := input()
		resumeIn := input()
		resumeIn.NextToken = aws.String("1")
		resumeToken := b64(`{"nextToken": "1"}`)
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=sdk", size), func(b *testing.B) {
			perPage(b, pages, func() int {
				p := codecatalyst.NewListDevEnvironmentSessionsPaginator(client, in,
					func(o *codecatalyst.ListDevEnvironmentSessionsPaginatorOptions) { o.Limit = size })
				return countPages(b, ctx, p)
			})
		})
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=ours", size), func(b *testing.B) {
			perPage(b, pages, func() int {
				return countPages(b, ctx, devsessions.NewListDevEnvironmentSessionsPaginator(client, in, opts(0, size, "")))
			})
		})
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=ours-maxitems", size), func(b *testing.B) {
			perPage(b, pages, func() int {
				return countPages(b, ctx, devsessions.NewListDevEnvironmentSessionsPaginator(client, in, opts(benchItems, size, "")))
			})
		})
		b.Run(fmt.Sprintf("size=%d/mode=resume/impl=sdk", size), func(b *testing.B) {
			perPage(b, pages-1, func() int {
				p := codecatalyst.NewListDevEnvironmentSessionsPaginator(client, resumeIn,
					func(o *codecatalyst.ListDevEnvironmentSessionsPaginatorOptions) { o.Limit = size })
				return countPages(b, ctx, p)
			})
		})
		b.Run(fmt.Sprintf("size=%d/mode=resume/impl=ours", size), func(b *testing.B) {
			perPage(b, pages-1, func() int {
				return countPages(b, ctx, devsessions.NewListDevEnvironmentSessionsPaginator(client, in, opts(0, size, resumeToken)))
			})
		})
	}
}

// pager is what every paginator here offers, ours and the SDK's, over
// either operation.
type pager[Out any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*codecatalyst.Options)) (*Out, error)
}

// countPages runs the page loop to the end and counts the pages.
func countPages[Out any](b *testing.B, ctx context.Context, p pager[Out]) int {
	n := 0
	for p.HasMorePages() {
		if _, err := p.NextPage(ctx); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// perItem runs walk, which must walk total items, as the benchmark loop and
// reports the time and allocations per item.
func perItem(b *testing.B, total int, walk func() int) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		if got := walk(); got != total {
			b.Fatalf("walked %d items", got)
		}
		n++
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*total), "ns/item")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n*total), "allocs/item")
}

// BenchmarkItem compares walking items: the SDK's page loop with a range
// over each page, and our Items iterator.
func BenchmarkItem(b *testing.B) {
	ctx := context.Background()
	client := newPagedClient(benchItems, 200)
	in := input()
	b.Run("impl=sdk", func(b *testing.B) {
		perItem(b, benchItems, func() int {
			p := codecatalyst.NewListDevEnvironmentSessionsPaginator(client, in,
				func(o *codecatalyst.ListDevEnvironmentSessionsPaginatorOptions) { o.Limit = 200 })
			n := 0
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, it := range out.Items {
					if it.Id == nil {
						b.Fatal("no id")
					}
					n++
				}
			}
			return n
		})
	})
	b.Run("impl=ours", func(b *testing.B) {
		perItem(b, benchItems, func() int {
			n := 0
			for it, err := range devsessions.NewListDevEnvironmentSessionsPaginator(client, in, opts(0, 200, "")).Items(ctx) {
				if err != nil || it.Id == nil {
					b.Fatal(err)
				}
				n++
			}
			return n
		})
	})
}

// BenchmarkCollect compares gathering 100,000 items: the SDK's page loop
// appending to a slice, and our Collect.
func BenchmarkCollect(b *testing.B) {
	ctx := context.Background()
	const total = 100000
	client := newPagedClient(total, 200)
	in := input()
	b.Run("impl=sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p := codecatalyst.NewListDevEnvironmentSessionsPaginator(client, in,
				func(o *codecatalyst.ListDevEnvironmentSessionsPaginatorOptions) { o.Limit = 200 })
			var all []types.DevEnvironmentSessionSummary
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				all = append(all, out.Items...)
			}
			if len(all) != total {
				b.Fatal(len(all))
			}
		}
	})
	b.Run("impl=ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			all, err := devsessions.NewListDevEnvironmentSessionsPaginator(client, in, opts(0, 200, "")).Collect(ctx)
			if err != nil || len(all) != total {
				b.Fatal(err, len(all))
			}
		}
	})
}

// BenchmarkPrefetch lists 50 pages from a client that takes 20 ms a request
// while the caller spends 20 ms on each page, without and with Prefetch,
// and reports how many times faster prefetch is (2 is the ideal).
func BenchmarkPrefetch(b *testing.B) {
	const pages, latency = 50, 20 * time.Millisecond
	walk := func(prefetch int) time.Duration {
		client := devsessionstest.NewClient(devsessionstest.Sessions(pages * 10))
		client.Latency = latency
		p := devsessions.NewListDevEnvironmentSessionsPaginator(client, input(), sessionsOptions(withPrefetch(po(0, 10, ""), prefetch)))
		start := time.Now()
		n := 0
		for _, err := range p.Pages(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			time.Sleep(latency) // the caller's work on the page
			n++
		}
		if n != pages {
			b.Fatalf("%d pages", n)
		}
		return time.Since(start)
	}
	var without, with time.Duration
	for b.Loop() {
		without += walk(0)
		with += walk(1)
	}
	b.ReportMetric(float64(without)/float64(with), "speedup")
	b.ReportMetric(float64(without.Milliseconds())/float64(b.N), "ms-without")
	b.ReportMetric(float64(with.Milliseconds())/float64(b.N), "ms-with")
}

// envPagedClient is pagedClient for ListDevEnvironments: pre-built pages,
// no allocation per call, the token is the index of the next page.
type envPagedClient struct {
	pageSize int32
	pages    []*codecatalyst.ListDevEnvironmentsOutput
}

func newEnvPagedClient(total int, pageSize int32) *envPagedClient {
	items := devEnvironments(total)
	c := &envPagedClient{pageSize: pageSize}
	for i := 0; i*int(pageSize) < total; i++ {
		out := &codecatalyst.ListDevEnvironmentsOutput{Items: items[i*int(pageSize) : min((i+1)*int(pageSize), total)]}
		if (i+1)*int(pageSize) < total {
			out.NextToken = aws.String(strconv.Itoa(i + 1))
		}
		c.pages = append(c.pages, out)
	}
	return c
}

func (c *envPagedClient) ListDevEnvironments(_ context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	if in.MaxResults == nil || *in.MaxResults != c.pageSize {
		return nil, fmt.Errorf("maxResults %v, want %d", in.MaxResults, c.pageSize)
	}
	i := 0
	if in.NextToken != nil {
		i, _ = strconv.Atoi(*in.NextToken)
	}
	return c.pages[i], nil
}

// BenchmarkListDevEnvironmentsPage is BenchmarkPage for ListDevEnvironments:
// the SDK's codecatalyst.NewListDevEnvironmentsPaginator against ours, per
// page, with no options, with MaxItems, and resuming from a token, at page
// sizes 1, 25 (the service default) and 50 (the model's maximum).
func BenchmarkListDevEnvironmentsPage(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int32{1, 25, 50} {
		client := newEnvPagedClient(benchItems, size)
		pages := len(client.pages)
		in := envInput()
		resumeIn := envInput()
		resumeIn.NextToken = aws.String("1")
		resumeToken := b64(`{"nextToken": "1"}`)
		sdk := func(in *codecatalyst.ListDevEnvironmentsInput) pager[codecatalyst.ListDevEnvironmentsOutput] {
			return codecatalyst.NewListDevEnvironmentsPaginator(client, in,
				func(o *codecatalyst.ListDevEnvironmentsPaginatorOptions) { o.Limit = size })
		}
		ours := func(o popts) pager[codecatalyst.ListDevEnvironmentsOutput] {
			return devsessions.NewListDevEnvironmentsPaginator(client, in, envOptions(o))
		}
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=sdk", size), func(b *testing.B) {
			perPage(b, pages, func() int { return countPages(b, ctx, sdk(in)) })
		})
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=ours", size), func(b *testing.B) {
			perPage(b, pages, func() int { return countPages(b, ctx, ours(po(0, size, ""))) })
		})
		b.Run(fmt.Sprintf("size=%d/mode=fresh/impl=ours-maxitems", size), func(b *testing.B) {
			perPage(b, pages, func() int { return countPages(b, ctx, ours(po(benchItems, size, ""))) })
		})
		b.Run(fmt.Sprintf("size=%d/mode=resume/impl=sdk", size), func(b *testing.B) {
			perPage(b, pages-1, func() int { return countPages(b, ctx, sdk(resumeIn)) })
		})
		b.Run(fmt.Sprintf("size=%d/mode=resume/impl=ours", size), func(b *testing.B) {
			perPage(b, pages-1, func() int { return countPages(b, ctx, ours(po(0, size, resumeToken))) })
		})
	}
}

// BenchmarkListDevEnvironmentsItem is BenchmarkItem for ListDevEnvironments
// (pages of 50): the SDK's page loop with a range over each page against
// our Items iterator.
func BenchmarkListDevEnvironmentsItem(b *testing.B) {
	ctx := context.Background()
	client := newEnvPagedClient(benchItems, 50)
	in := envInput()
	b.Run("impl=sdk", func(b *testing.B) {
		perItem(b, benchItems, func() int {
			p := codecatalyst.NewListDevEnvironmentsPaginator(client, in,
				func(o *codecatalyst.ListDevEnvironmentsPaginatorOptions) { o.Limit = 50 })
			n := 0
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, it := range out.Items {
					if it.Id == nil {
						b.Fatal("no id")
					}
					n++
				}
			}
			return n
		})
	})
	b.Run("impl=ours", func(b *testing.B) {
		perItem(b, benchItems, func() int {
			n := 0
			for it, err := range devsessions.NewListDevEnvironmentsPaginator(client, in, envOptions(po(0, 50, ""))).Items(ctx) {
				if err != nil || it.Id == nil {
					b.Fatal(err)
				}
				n++
			}
			return n
		})
	})
}

// BenchmarkEngineShare measures, interleaved in one loop, what a user pays
// for the paginator beside what a listing costs anyway: one request for a
// page of 25 sessions over the SDK's client to the local HTTPS endpoint
// (devsessionstest.Server: TLS, the SDK's middleware, JSON both ways), and
// per page the cost of our paginator and of the SDK's over the
// allocation-free pagedClient (pages of 25, 480 of them), and our Items
// iterator's allocations per item beyond the page loop's. It reports the engine's time per page
// as a percentage of the request's and the allocations of each.
func BenchmarkEngineShare(b *testing.B) {
	ctx := context.Background()
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: devsessionstest.Sessions(25)})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	https := srv.Client()
	const size = 25
	paged := newPagedClient(benchItems, size)
	pages := len(paged.pages)
	in := input()
	in.MaxResults = aws.Int32(size)

	var reqTime, oursTime, sdkTime time.Duration
	var oursAllocs, sdkAllocs, itemAllocs uint64
	measure := func(d *time.Duration, allocs *uint64, run func()) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		run()
		*d += time.Since(start)
		runtime.ReadMemStats(&after)
		if allocs != nil {
			*allocs += after.Mallocs - before.Mallocs
		}
	}
	n := 0
	for b.Loop() {
		measure(&reqTime, nil, func() {
			out, err := https.ListDevEnvironmentSessions(ctx, in)
			if err != nil || len(out.Items) != size {
				b.Fatal(err)
			}
		})
		measure(&oursTime, &oursAllocs, func() {
			if got := countPages(b, ctx, devsessions.NewListDevEnvironmentSessionsPaginator(paged, in)); got != pages {
				b.Fatal(got)
			}
		})
		measure(&sdkTime, &sdkAllocs, func() {
			p := codecatalyst.NewListDevEnvironmentSessionsPaginator(paged, in)
			if got := countPages(b, ctx, p); got != pages {
				b.Fatal(got)
			}
		})
		var ignored time.Duration
		measure(&ignored, &itemAllocs, func() {
			items := 0
			for _, err := range devsessions.NewListDevEnvironmentSessionsPaginator(paged, in).Items(ctx) {
				if err != nil {
					b.Fatal(err)
				}
				items++
			}
			if items != benchItems {
				b.Fatal(items)
			}
		})
		n++
	}
	perPage := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(n*pages) }
	request := float64(reqTime.Nanoseconds()) / float64(n)
	b.ReportMetric(request/1e3, "request-us")
	b.ReportMetric(perPage(oursTime), "ours-ns/page")
	b.ReportMetric(perPage(sdkTime), "sdk-ns/page")
	b.ReportMetric(100*perPage(oursTime)/request, "ours-%-of-request")
	b.ReportMetric(float64(oursAllocs)/float64(n*pages), "ours-allocs/page")
	b.ReportMetric(float64(sdkAllocs)/float64(n*pages), "sdk-allocs/page")
	// What Items allocates beyond the page loop over the same pages (its
	// iterator, once a run), per item: 0 means nothing grows with the items.
	b.ReportMetric(float64(int64(itemAllocs)-int64(oursAllocs))/float64(n*benchItems), "items-allocs/item")
}
