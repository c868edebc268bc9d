package main

import (
	"io"
	"testing"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// BenchmarkPrint prints 1000 sessions, in pages of 100, in each output:
// what the command adds to a listing per session, against a request of the
// SDK's client to a local endpoint (hundreds of microseconds a page).
//
//	go test ./examples/list-sessions -run '^$' -bench Print -benchmem
func BenchmarkPrint(b *testing.B) {
	sessions := devsessionstest.Sessions(1000)
	pages := make([][]value, 10)
	for i, s := range sessions {
		pages[i/100] = append(pages[i/100], sessionValue(s))
	}
	for _, format := range []string{"json", "text", "table"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				p := newPrinter(io.Discard, format, "ListDevEnvironmentSessions", table{width: 80}, nil, nil)
				for _, pg := range pages {
					if err := p.add(pg); err != nil {
						b.Fatal(err)
					}
				}
				if err := p.end("eyJuZXh0VG9rZW4iOiAidG9rLTEwMDAifQ=="); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/session")
		})
	}
}
