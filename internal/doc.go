// Package internal holds what package devsessions is built on and stays free
// to change: paginate, the state machine under every paginator; token,
// botocore's resume tokens; and paginatorgen, the command that go generate
// runs to write each operation's code from the table of the service model's
// facts.
package internal
