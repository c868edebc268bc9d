package devsessionstest_test

import (
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// BenchmarkOperationPage measures one page of 10 items of every operation
// from each double: the fake Client in memory, and the Server through the
// real SDK client over loopback HTTPS (JSON both ways, TLS, one connection
// kept alive). Compare the Server's cost per page with the Client's, and
// allocations, not the times themselves.
func BenchmarkOperationPage(b *testing.B) {
	d := devsessionstest.SampleData(50)
	for _, db := range doubles {
		for _, o := range operations {
			b.Run(db.name+"/"+o.op, func(b *testing.B) {
				c, _ := db.make(b, d, 10) // ListSpaces' page size
				var m *int32
				if devsessionstest.MaxResults(o.op) > 0 {
					m = aws.Int32(10) // ListAccessTokens' largest
				}
				b.ReportAllocs()
				for b.Loop() {
					p, err := o.list(b.Context(), c, m, nil)
					if err != nil || len(p.items) != 10 {
						b.Fatalf("%d items, %v", len(p.items), err)
					}
				}
			})
		}
	}
}

// TestClientPageCostDoesNotGrowWithTheScope checks that a filtered listing
// selects its items once, not on every page: a page of 10 costs the same
// allocations from a scope of 20 items as from one of 400.
func TestClientPageCostDoesNotGrowWithTheScope(t *testing.T) {
	filtered := map[string]func(c *devsessionstest.Client) error{
		devsessionstest.OpListDevEnvironments: func(c *devsessionstest.Client) error {
			_, err := c.ListDevEnvironments(t.Context(), &codecatalyst.ListDevEnvironmentsInput{
				SpaceName: demoSpace, ProjectName: demoProject, MaxResults: aws.Int32(10)})
			return err
		},
		devsessionstest.OpListEventLogs: func(c *devsessionstest.Client) error {
			_, err := c.ListEventLogs(t.Context(), &codecatalyst.ListEventLogsInput{
				SpaceName: demoSpace, StartTime: &logStart, EndTime: &logEnd, EventName: aws.String("createDevEnvironment"), MaxResults: aws.Int32(10)})
			return err
		},
		devsessionstest.OpListProjects: func(c *devsessionstest.Client) error {
			_, err := c.ListProjects(t.Context(), &codecatalyst.ListProjectsInput{SpaceName: demoSpace, MaxResults: aws.Int32(10),
				Filters: []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"project"}, ComparisonOperator: types.ComparisonOperatorBeginsWith}}})
			return err
		},
		devsessionstest.OpListWorkflowRuns: func(c *devsessionstest.Client) error {
			_, err := c.ListWorkflowRuns(t.Context(), &codecatalyst.ListWorkflowRunsInput{
				SpaceName: demoSpace, ProjectName: demoProject, WorkflowId: aws.String(devsessionstest.DemoWorkflow), MaxResults: aws.Int32(10)})
			return err
		},
	}
	for op, page := range filtered {
		t.Run(op, func(t *testing.T) {
			// Bytes, not allocation counts: a page that copied or filtered
			// its scope would allocate in proportion to it (20x here),
			// while the race detector and the runtime can add an
			// allocation or two to any count.
			bytesPerPage := func(n int) float64 {
				c := devsessionstest.NewDataClient(devsessionstest.SampleData(n))
				require.NoError(t, page(c))
				const runs = 50
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for range runs {
					_ = page(c)
				}
				runtime.ReadMemStats(&after)
				return float64(after.TotalAlloc-before.TotalAlloc) / runs
			}
			small, large := bytesPerPage(20), bytesPerPage(400)
			assert.Less(t, large, 2*small, "bytes per page: %.0f with 20 items per scope, %.0f with 400", small, large)
		})
	}
}
