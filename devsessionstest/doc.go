// Package devsessionstest provides test doubles for code that calls the
// CodeCatalyst API's ten paginated operations ([ListOperations]) and
// GetUserDetails, in the spirit of net/http/httptest: [Client], an
// in-memory fake with the methods of *codecatalyst.Client, scripted faults,
// in-flight counters and a record of requests; [Server], a local HTTPS
// endpoint for the same operations that the real SDK client and the AWS CLI
// talk to unmodified, with latency, a rate limit and the same scripted
// faults ([Fault]); and deterministic data to seed them with: [Data], the
// generators ([Sessions], [Projects], ..., [Users]), [SampleData] and
// [DemoData].
//
// The doubles are for tests and offline demos; they keep the service's
// rules (required members, each operation's maxResults bounds
// ([MaxResults]), opaque tokens, a default page size, the service's
// exceptions for bad input and unknown resources) so that code which passes
// against them behaves the same against CodeCatalyst.
package devsessionstest
