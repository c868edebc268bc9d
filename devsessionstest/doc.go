// Package devsessionstest provides test doubles for code that lists
// CodeCatalyst dev environment sessions, in the spirit of net/http/httptest:
// [Client], an in-memory fake of the ListDevEnvironmentSessions API with
// scripted faults and a record of requests, and [Sessions], deterministic
// demo data.
//
// The fakes are for tests and offline demos; they keep the service's rules
// (maxResults 1..200, opaque tokens, a default page size) so that code which
// passes against them behaves the same against CodeCatalyst.
package devsessionstest
