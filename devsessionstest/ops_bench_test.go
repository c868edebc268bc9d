package devsessionstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

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
