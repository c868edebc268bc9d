// Package devsessionstest provides test doubles for code that lists
// CodeCatalyst dev environment sessions and dev environments, in the spirit
// of net/http/httptest: [Client], an in-memory fake of the
// ListDevEnvironmentSessions and ListDevEnvironments APIs with scripted
// faults, in-flight counters and a record of requests; [Server], a local
// HTTPS endpoint for both operations that the real SDK client and the AWS
// CLI talk to, with latency, a rate limit and scripted faults; and
// [Sessions] and [DemoSpaceData], deterministic demo data.
//
// The fakes are for tests and offline demos; they keep the service's rules
// (maxResults 1..200 for sessions and 1..50 for dev environments, opaque
// tokens, a default page size) so that code which passes against them
// behaves the same against CodeCatalyst.
package devsessionstest
