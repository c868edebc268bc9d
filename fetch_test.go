package devsessions_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// TestFetchesNoMoreThanBotocore runs every recorded botocore resume chain
// to the end on both sides and compares what each pulled from the service:
// requests and items. We never make more of either, and pull strictly fewer
// items wherever botocore cut a page of a given PageSize. With -v it logs the table quoted in
// BENCHMARKS.md.
func TestFetchesNoMoreThanBotocore(t *testing.T) {
	bc := loadBotocoreCases(t)
	var table strings.Builder
	table.WriteString("| operation | items | PageSize | MaxItems | runs | requests botocore | requests ours | items pulled botocore | items pulled ours |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range bc.Cases {
		op := operationNamed(t, c.Operation)
		var theirReqs, theirItems, ourReqs, ourItems int
		cut := false
		for _, run := range c.Runs {
			theirReqs += len(run.Requests)
			theirItems += run.Served
			cut = cut || (run.ResumeToken != "" && hasAmount(t, run.ResumeToken))
		}
		tok, runs := "", 0
		for {
			fake := op.newFake(c.N)
			p := op.pager(fake, po(c.MaxItems, c.PageSize, tok))
			_, err := p.Collect(t.Context())
			require.NoError(t, err)
			ourReqs += fake.Calls()
			ourItems += fake.ItemsServed()
			runs++
			if tok = p.ResumeToken(); tok == "" {
				break
			}
			require.Less(t, runs, 1000)
		}
		assert.LessOrEqual(t, ourReqs, theirReqs, "%s requests", c.Name)
		if cut && c.PageSize > 0 {
			assert.Less(t, ourItems, theirItems, "%s: botocore cut a page, so we must pull fewer items", c.Name)
		} else {
			assert.LessOrEqual(t, ourItems, theirItems, "%s items", c.Name)
		}
		if (c.N == 26 || c.N == 55 || c.N == 230) && (c.PageSize == 0 || c.PageSize == 10 || c.PageSize == 25) &&
			(c.MaxItems == 10 || c.MaxItems == 15 || c.MaxItems == 26 || c.MaxItems == 100) {
			ps := strconv.Itoa(int(c.PageSize))
			if c.PageSize == 0 {
				ps = "– (25)"
			}
			fmt.Fprintf(&table, "| %s | %d | %s | %d | %d | %d | %d | %d | %d |\n", op.name, c.N, ps, c.MaxItems, len(c.Runs), theirReqs, ourReqs, theirItems, ourItems)
		}
	}
	t.Log("\n" + table.String())
}

// streamClient makes pages on the fly from one shared template, so that its
// own memory stays constant however many items it serves.
type streamClient struct {
	total    int
	template []types.DevEnvironmentSessionSummary
}

func (s *streamClient) ListDevEnvironmentSessions(_ context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi(*in.NextToken)
	}
	end := min(start+int(aws.ToInt32(in.MaxResults)), s.total)
	out := &codecatalyst.ListDevEnvironmentSessionsOutput{Items: s.template[:end-start]}
	if end < s.total {
		out.NextToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Streaming a million items through Items keeps the live heap flat: what
// grows is one 64-bit fingerprint a page (16 to 64 bytes with the table).
func TestItemsStreamingKeepsTheHeapFlat(t *testing.T) {
	const total, pageSize = 1_000_000, 200
	client := &streamClient{total: total, template: devsessionstest.Sessions(pageSize)}
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, input(), opts(0, pageSize, ""))
	var samples []uint64
	n := 0
	for it, err := range p.Items(t.Context()) {
		require.NoError(t, err)
		if it.Id == nil {
			t.Fatal("no id")
		}
		if n++; n%(total/10) == 0 {
			samples = append(samples, liveHeap())
		}
	}
	require.Equal(t, total, n)
	require.Len(t, samples, 10)
	growth := int64(samples[9]) - int64(samples[0])
	t.Logf("live heap after 100k items: %d B, after 1M: %d B, growth %d B", samples[0], samples[9], growth)
	assert.Less(t, growth, int64(512<<10), "the live heap must not grow with the items streamed")
}
