package devsessions_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// benchSpace is the space the space-listing benchmarks and tests use.
const benchSpace = "bench-space"

// spaceFixture is a generated space: its dev environments in listing order
// and their sessions, dev environment by dev environment.
type spaceFixture struct {
	envs     []types.DevEnvironmentSummary
	sessions []types.DevEnvironmentSessionSummary
}

// genSpace returns a deterministic space of running RUNNING and stopped
// STOPPED dev environments spread round-robin over projects projects, the
// STOPPED ones interleaved with the RUNNING ones. A RUNNING dev environment
// gets sessionsOf(i) sessions (i counts RUNNING ones from 0); a STOPPED one
// none. Ids are UUIDs; session ids are unique across the space.
func genSpace(running, stopped, projects int, sessionsOf func(i int) int) spaceFixture {
	var f spaceFixture
	total := running + stopped
	epoch := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	r, s := 0, 0
	for i := range total {
		// Spread the STOPPED ones evenly: after every running/stopped RUNNING ones.
		status := types.DevEnvironmentStatusRunning
		if s < stopped && (r >= running || (s+1)*total <= (i+1)*stopped) {
			status = types.DevEnvironmentStatusStopped
		}
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", 0xbe7c0000+uint32(i), i)
		project := fmt.Sprintf("proj-%d", i%projects)
		updated := epoch.Add(-time.Duration(i) * time.Hour)
		f.envs = append(f.envs, types.DevEnvironmentSummary{
			SpaceName: aws.String(benchSpace), ProjectName: aws.String(project), Id: aws.String(id),
			Alias: aws.String(fmt.Sprintf("env-%03d", i)), Status: status, LastUpdatedTime: &updated,
		})
		if status == types.DevEnvironmentStatusStopped {
			s++
			continue
		}
		for j := range sessionsOf(r) {
			started := epoch.Add(time.Duration(i)*time.Hour + time.Duration(j)*time.Minute)
			f.sessions = append(f.sessions, types.DevEnvironmentSessionSummary{
				SpaceName: aws.String(benchSpace), ProjectName: aws.String(project), DevEnvironmentId: aws.String(id),
				Id: aws.String(fmt.Sprintf("sess-%03d-%d", i, j)), StartedTime: &started,
			})
		}
		r++
	}
	return f
}

// issueSpace is the space of issue 8 §5: 120 RUNNING and 40 STOPPED dev
// environments over 6 projects, 0 to 3 sessions each (181 in all).
func issueSpace() spaceFixture {
	return genSpace(120, 40, 6, func(i int) int { return (i*7 + i/5) % 4 })
}

// server starts a local endpoint serving f with opts' other settings.
func (f spaceFixture) server(tb testing.TB, o devsessionstest.ServerOptions) *devsessionstest.Server {
	tb.Helper()
	o.DevEnvironments, o.Sessions = f.envs, f.sessions
	srv, err := devsessionstest.NewServer(o)
	require.NoError(tb, err)
	tb.Cleanup(srv.Close)
	return srv
}

// want returns the ids "<dev environment id>/<session id>" in delivery
// order.
func (f spaceFixture) want() []string {
	out := make([]string, 0, len(f.sessions))
	for _, s := range f.sessions {
		out = append(out, aws.ToString(s.DevEnvironmentId)+"/"+aws.ToString(s.Id))
	}
	return out
}

func (f spaceFixture) stoppedIDs() map[string]bool {
	out := map[string]bool{}
	for _, e := range f.envs {
		if e.Status != types.DevEnvironmentStatusRunning {
			out[aws.ToString(e.Id)] = true
		}
	}
	return out
}

func (f spaceFixture) running() int {
	n := 0
	for _, e := range f.envs {
		if e.Status == types.DevEnvironmentStatusRunning {
			n++
		}
	}
	return n
}

// envSessionIDs returns "<dev environment id>/<session id>" of each item.
func envSessionIDs(items []devsessions.SpaceSession) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = aws.ToString(it.DevEnvironment.Id) + "/" + aws.ToString(it.Session.Id)
	}
	return out
}

// listSpace collects the whole of benchSpace with the given concurrency.
func listSpace(ctx context.Context, client devsessions.SpaceSessionsAPIClient, conc int,
	optFns ...func(*codecatalyst.Options)) ([]devsessions.SpaceSession, error) {
	s := devsessions.NewSpaceSessions(client, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(benchSpace)},
		func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = conc })
	return s.Collect(ctx, optFns...)
}

// sessionsRequestEnv returns the dev environment id a sessions request was
// for, or "".
func sessionsRequestEnv(r devsessionstest.ServerRequest) string {
	if r.Operation != devsessionstest.OpListDevEnvironmentSessions {
		return ""
	}
	parts := strings.Split(r.Path, "/")
	return parts[len(parts)-2] // .../devEnvironments/{id}/sessions
}

// countOps returns the requests for each operation, and the 429s.
func countOps(reqs []devsessionstest.ServerRequest) (envs, sessions, throttled int) {
	for _, r := range reqs {
		switch {
		case r.Throttled:
			throttled++
		case r.Operation == devsessionstest.OpListDevEnvironments:
			envs++
		case r.Operation == devsessionstest.OpListDevEnvironmentSessions:
			sessions++
		}
	}
	return envs, sessions, throttled
}

// TestSpaceSessionsOverTheEndpoint lists the issue's space over the real
// client and the local endpoint with Concurrency 1 and 8, with answers for
// later dev environments coming back sooner than earlier ones: every
// session exactly once, in order, the same sequence for both, and no
// ListDevEnvironmentSessions request for a STOPPED dev environment. Nothing
// here is timed.
func TestSpaceSessionsOverTheEndpoint(t *testing.T) {
	f := issueSpace()
	require.Len(t, f.envs, 160)
	require.Equal(t, 120, f.running())
	projects := map[string]bool{}
	for _, e := range f.envs {
		projects[aws.ToString(e.ProjectName)] = true
	}
	require.Len(t, projects, 6)
	want := f.want()
	require.Len(t, want, len(slices.Compact(slices.Sorted(slices.Values(want)))), "session ids are unique")

	var sequences [][]string
	for _, conc := range []int{1, 8} {
		t.Run(fmt.Sprintf("concurrency=%d", conc), func(t *testing.T) {
			srv := f.server(t, devsessionstest.ServerOptions{})
			// Earlier dev environments answer later: with 8 in flight,
			// answers arrive out of order.
			for i, e := range f.envs {
				srv.ScriptDevEnvironment(aws.ToString(e.Id), 1, devsessionstest.Fault{Latency: time.Duration(7-i%8) * time.Millisecond})
			}
			items, err := listSpace(t.Context(), srv.Client(), conc)
			require.NoError(t, err)
			got := envSessionIDs(items)
			assert.Equal(t, want, got, "every session once, in order")
			sequences = append(sequences, got)

			stopped := f.stoppedIDs()
			asked := map[string]int{}
			for _, r := range srv.Requests() {
				if id := sessionsRequestEnv(r); id != "" {
					assert.False(t, stopped[id], "ListDevEnvironmentSessions sent for STOPPED dev environment %s", id)
					asked[id]++
				}
			}
			assert.Len(t, asked, f.running(), "each RUNNING dev environment asked")
			for id, n := range asked {
				assert.Equal(t, 1, n, "dev environment %s asked once (at most 3 sessions: one page)", id)
			}
			envReqs, sessReqs, throttled := countOps(srv.Requests())
			assert.Equal(t, 7+7, envReqs, "160 dev environments, pages of 25, and the check that reads them again at the end")
			assert.Equal(t, 120, sessReqs)
			assert.Zero(t, throttled)
			assert.LessOrEqual(t, srv.MaxInFlight(), conc+4, "at most Concurrency session requests and 4 ListDevEnvironments (the check)")
		})
	}
	if len(sequences) == 2 {
		assert.Equal(t, sequences[0], sequences[1], "the same sequence for Concurrency 1 and 8")
	}
}

// BenchmarkSpaceSessions lists the issue's space (120 RUNNING and 40
// STOPPED dev environments over 6 projects, 181 sessions), every answer
// 20 ms late, over the real client and the local endpoint, at each
// Concurrency. One op is one listing. Run it with -benchtime 1x.
func BenchmarkSpaceSessions(b *testing.B) {
	f := issueSpace()
	for _, conc := range []int{1, 4, 8, 16} {
		b.Run(fmt.Sprintf("conc=%d", conc), func(b *testing.B) {
			srv := f.server(b, devsessionstest.ServerOptions{Latency: 20 * time.Millisecond})
			client := srv.Client()
			n := 0
			for b.Loop() {
				items, err := listSpace(b.Context(), client, conc)
				if err != nil || len(items) != len(f.sessions) {
					b.Fatalf("%d sessions, %v", len(items), err)
				}
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(n), "ms/listing")
			b.ReportMetric(float64(len(srv.Requests()))/float64(n), "requests/listing")
			b.ReportMetric(float64(srv.MaxInFlight()), "max-in-flight")
		})
	}
}

// BenchmarkSpaceSessionsSpeedup lists the issue's space with Concurrency 1
// and 8 in each iteration and reports how many times faster 8 is (the
// issue asks for at least 6; 8 is the limit).
func BenchmarkSpaceSessionsSpeedup(b *testing.B) {
	f := issueSpace()
	srv := f.server(b, devsessionstest.ServerOptions{Latency: 20 * time.Millisecond})
	client := srv.Client()
	timed := func(conc int) time.Duration {
		start := time.Now()
		items, err := listSpace(b.Context(), client, conc)
		if err != nil || len(items) != len(f.sessions) {
			b.Fatalf("%d sessions, %v", len(items), err)
		}
		return time.Since(start)
	}
	var one, eight time.Duration
	n := 0
	for b.Loop() {
		one += timed(1)
		eight += timed(8)
		n++
	}
	b.ReportMetric(float64(one)/float64(eight), "speedup")
	b.ReportMetric(float64(one.Milliseconds())/float64(n), "ms-conc1")
	b.ReportMetric(float64(eight.Milliseconds())/float64(n), "ms-conc8")
}

// cliEnv is isolatedCLIEnv with the endpoint and the space the script reads.
func cliEnv(tb testing.TB, srv *devsessionstest.Server) []string {
	tb.Helper()
	return append(isolatedCLIEnv(tb, srv), "AWS_ENDPOINT_URL_CODECATALYST="+srv.URL, "SPACE="+benchSpace)
}

// cliScript is the space-wide listing as a user scripts it today with the
// AWS CLI: list the dev environments, then the sessions of each RUNNING one,
// one process after another. It prints "<dev environment id>/<session id>"
// a line.
const cliScript = `set -e
aws codecatalyst list-dev-environments --space-name "$SPACE" \
	--query 'items[?status==` + "`RUNNING`" + `].[projectName,id]' --output text |
while read -r project id; do
	aws codecatalyst list-dev-environment-sessions --space-name "$SPACE" \
		--project-name "$project" --dev-environment-id "$id" \
		--query 'items[].id' --output text |
	tr '\t' '\n' | sed -n "s|^\(sess-.*\)|$id/\1|p"
done
`

// runCLIScript runs cliScript and returns the lines it printed.
func runCLIScript(tb testing.TB, ctx context.Context, env []string) []string {
	tb.Helper()
	cmd := exec.CommandContext(ctx, "sh", "-c", cliScript)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(tb, err, stderr.String())
	return strings.Fields(string(out))
}

// BenchmarkSpaceListingVsAWSCLI times the issue's space listed three ways
// against the same endpoint (every answer 20 ms late): the AWS CLI script
// (cliScript: one process for the dev environments and one per RUNNING
// dev environment, 121 in all), SpaceSessions with Concurrency 1 and with
// Concurrency 8, and reports the ratios. The CLI takes minutes on a small
// machine, so it runs only with DEVSESSIONS_BENCH_CLI=1, and with
// -benchtime 1x.
func BenchmarkSpaceListingVsAWSCLI(b *testing.B) {
	if os.Getenv("DEVSESSIONS_BENCH_CLI") != "1" {
		b.Skip("set DEVSESSIONS_BENCH_CLI=1 to run the AWS CLI script (121 processes)")
	}
	f := issueSpace()
	srv := f.server(b, devsessionstest.ServerOptions{Latency: 20 * time.Millisecond})
	env := cliEnv(b, srv)
	client := srv.Client()
	var cli, one, eight time.Duration
	for b.Loop() {
		start := time.Now()
		got := runCLIScript(b, b.Context(), env)
		cli += time.Since(start)
		require.Equal(b, f.want(), got, "the script lists the same sessions in the same order")
		for _, c := range []struct {
			conc int
			d    *time.Duration
		}{{1, &one}, {8, &eight}} {
			start := time.Now()
			items, err := listSpace(b.Context(), client, c.conc)
			*c.d += time.Since(start)
			require.NoError(b, err)
			require.Equal(b, f.want(), envSessionIDs(items))
		}
	}
	envReqs, sessReqs, _ := countOps(srv.Requests())
	b.ReportMetric(float64(cli.Milliseconds())/float64(b.N), "ms-cli")
	b.ReportMetric(float64(one.Milliseconds())/float64(b.N), "ms-conc1")
	b.ReportMetric(float64(eight.Milliseconds())/float64(b.N), "ms-conc8")
	b.ReportMetric(float64(cli)/float64(one), "cli/conc1")
	b.ReportMetric(float64(cli)/float64(eight), "cli/conc8")
	b.ReportMetric(float64(envReqs+sessReqs)/float64(3*b.N), "requests/listing")
}

// rateSpace is the throttling scenario of issue 8 §5: 200 RUNNING dev
// environments, one session each, behind a server answering 50 requests a
// second (burst 50), every answer 20 ms late.
func rateSpace() spaceFixture { return genSpace(200, 0, 4, func(int) int { return 1 }) }

const (
	rateLimit   = 50
	rateLatency = 20 * time.Millisecond
	rateConc    = 16
)

var retryers = []struct {
	name string
	opt  func(*codecatalyst.Options)
}{
	// The default retryer (3 attempts) failed 1 run in 28 here (an attempt throttled 3 times); 5 attempts did not fail.
	{"standard", func(*codecatalyst.Options) {}},
	{"adaptive", func(o *codecatalyst.Options) { o.Retryer = retry.NewAdaptiveMode() }},
}

// rateReport describes one rate-limited listing.
type rateReport struct {
	rate                     float64 // requests a second the endpoint answers
	elapsed                  time.Duration
	ok, throttled, attempts3 int // requests answered, 429s, third attempts
	maxAttempt               int
	err                      error
	items                    []devsessions.SpaceSession
}

// floor is the least time the rate allows for the successful requests: the
// ones beyond the burst at rateLimit a second.
func (r rateReport) floor() time.Duration {
	return time.Duration(float64(max(0, r.ok-int(r.rate))) / r.rate * float64(time.Second))
}

func (r rateReport) String() string {
	return fmt.Sprintf("%v (floor %v, %.2fx): %d requests answered, %d throttled (429), max attempt %d, %d third attempts, err %v",
		r.elapsed.Round(time.Millisecond), r.floor().Round(time.Millisecond), float64(r.elapsed)/float64(r.floor()),
		r.ok, r.throttled, r.maxAttempt, r.attempts3, r.err)
}

// listRateLimited lists rateSpace once, on a fresh server and client.
func listRateLimited(tb testing.TB, ctx context.Context, f spaceFixture, rate float64, retryer func(*codecatalyst.Options)) rateReport {
	tb.Helper()
	srv := f.server(tb, devsessionstest.ServerOptions{RateLimit: rate, Latency: rateLatency})
	client := srv.Client(retryer)
	start := time.Now()
	items, err := listSpace(ctx, client, rateConc)
	rep := rateReport{rate: rate, elapsed: time.Since(start), err: err, items: items}
	for _, r := range srv.Requests() {
		if r.Throttled {
			rep.throttled++
		} else {
			rep.ok++
		}
		if a, ok := strings.CutPrefix(r.Attempt, "attempt="); ok {
			n, _ := strconv.Atoi(strings.SplitN(a, ";", 2)[0])
			rep.maxAttempt = max(rep.maxAttempt, n)
			if n >= 3 {
				rep.attempts3++
			}
		}
	}
	return rep
}

// BenchmarkSpaceSessionsRateLimited times a listing against an endpoint
// that answers rateLimit requests a second, against the floor the rate sets, for the
// default retryer and the adaptive mode. x-floor is the goal's figure
// (within 1.5). Run it with -benchtime 1x.
func BenchmarkSpaceSessionsRateLimited(b *testing.B) {
	f := rateSpace()
	for _, r := range retryers {
		b.Run("retryer="+r.name, func(b *testing.B) {
			var elapsed, floor time.Duration
			var throttled, ok, attempts3, maxAttempt, failed int
			for b.Loop() {
				rep := listRateLimited(b, b.Context(), f, rateLimit, r.opt)
				b.Log(rep)
				if rep.err != nil {
					failed++
				} else if len(rep.items) != len(f.sessions) {
					b.Fatalf("%d sessions", len(rep.items))
				}
				elapsed += rep.elapsed
				floor += rep.floor()
				throttled += rep.throttled
				ok += rep.ok
				attempts3 += rep.attempts3
				maxAttempt = max(maxAttempt, rep.maxAttempt)
			}
			n := float64(b.N)
			b.ReportMetric(elapsed.Seconds()/n, "s/listing")
			b.ReportMetric(floor.Seconds()/n, "floor-s")
			b.ReportMetric(float64(elapsed)/float64(floor), "x-floor")
			b.ReportMetric(float64(ok)/n, "answered/listing")
			b.ReportMetric(float64(throttled)/n, "429s/listing")
			b.ReportMetric(float64(attempts3)/n, "3rd-attempts/listing")
			b.ReportMetric(float64(maxAttempt), "max-attempt")
			b.ReportMetric(float64(failed)/n, "failed/listing")
		})
	}
}

// firstSessionSpace is one RUNNING dev environment with 10 sessions, 10
// pages at SessionPageSize 1, and 7 more with one session each.
func firstSessionSpace() spaceFixture {
	return genSpace(8, 0, 1, func(i int) int {
		if i == 0 {
			return 10
		}
		return 1
	})
}

// BenchmarkSpaceSessionsFirstSession times, over the real client and the
// local endpoint with every answer 20 ms late, the first session of a
// dev environment whose sessions come on 10 pages, against the whole
// listing. first/all is the share of the listing's time the caller waits
// for its first session. Run it with -benchtime 5x.
func BenchmarkSpaceSessionsFirstSession(b *testing.B) {
	f := firstSessionSpace()
	srv := f.server(b, devsessionstest.ServerOptions{Latency: rateLatency})
	client := srv.Client()
	var first, all time.Duration
	for b.Loop() {
		s := devsessions.NewSpaceSessions(client, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(benchSpace)},
			func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 1 })
		start := time.Now()
		n := 0
		for _, err := range s.Items(b.Context()) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n == 1 {
				first += time.Since(start)
			}
		}
		all += time.Since(start)
		if n != len(f.sessions) {
			b.Fatalf("%d sessions", n)
		}
	}
	k := float64(b.N)
	b.ReportMetric(float64(first.Milliseconds())/k, "ms-first-session")
	b.ReportMetric(float64(all.Milliseconds())/k, "ms-all")
	b.ReportMetric(float64(first)/float64(all), "first/all")
}

// BenchmarkSpaceSessionsResumedRun measures what a resumed run costs: the
// issue's space is listed with MaxItems 100 (of its 144 sessions), then resumed, over
// the real client and the local endpoint with every answer 20 ms late. It
// reports the requests and time of the resumed run against a whole listing
// from the start, and the token's length.
func BenchmarkSpaceSessionsResumedRun(b *testing.B) {
	f := issueSpace()
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(benchSpace)}
	var resumed, fresh time.Duration
	var resEnvs, resSess, freshEnvs, freshSess, tokLen int
	for b.Loop() {
		srv := f.server(b, devsessionstest.ServerOptions{Latency: rateLatency})
		client := srv.Client()
		start := time.Now()
		if _, err := listSpace(b.Context(), client, DefaultConcurrencyForBench); err != nil {
			b.Fatal(err)
		}
		fresh += time.Since(start)
		freshEnvs, freshSess, _ = countOps(srv.Requests())

		capped := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = resumeCap })
		if _, err := capped.Collect(b.Context()); err != nil {
			b.Fatal(err)
		}
		tok := capped.ResumeToken()
		tokLen = len(tok)
		before := len(srv.Requests())
		start = time.Now()
		rest, err := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = tok }).Collect(b.Context())
		resumed += time.Since(start)
		if err != nil || len(rest) != len(f.sessions)-resumeCap {
			b.Fatalf("%d sessions, %v", len(rest), err)
		}
		resEnvs, resSess, _ = countOps(srv.Requests()[before:])
	}
	k := float64(b.N)
	b.ReportMetric(float64(resumed.Milliseconds())/k, "ms-resumed")
	b.ReportMetric(float64(fresh.Milliseconds())/k, "ms-whole")
	b.ReportMetric(float64(resEnvs), "resumed-envs-requests")
	b.ReportMetric(float64(resSess), "resumed-sessions-requests")
	b.ReportMetric(float64(freshEnvs), "whole-envs-requests")
	b.ReportMetric(float64(freshSess), "whole-sessions-requests")
	b.ReportMetric(float64(tokLen), "token-bytes")
}

// DefaultConcurrencyForBench is the Concurrency of the whole listings above.
const DefaultConcurrencyForBench = devsessions.DefaultConcurrency

// resumeCap is the first run's MaxItems in BenchmarkSpaceSessionsResumedRun.
const resumeCap = 100

// BenchmarkSpaceSessionsToken measures the token after n dev environments
// delivered in full (one session each; MaxItems n over n+1), for 10, 100
// and 1,000: its length, and what ResumeToken costs a call (-benchmem).
func BenchmarkSpaceSessionsToken(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			f := genSpace(n+1, 0, 4, func(int) int { return 1 })
			s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(f.envs, f.sessions),
				&codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(benchSpace)},
				func(o *devsessions.SpaceSessionsOptions) { o.MaxItems, o.DevEnvironmentPageSize = int32(n), 50 })
			if _, err := s.Collect(b.Context()); err != nil {
				b.Fatal(err)
			}
			var tok string
			for b.Loop() {
				tok = s.ResumeToken()
			}
			b.ReportMetric(float64(len(tok)), "token-bytes")
			b.ReportMetric(float64(len(tok))/float64(n), "bytes/env")
		})
	}
}
