package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
)

// Exit statuses; an interrupted run exits 128 + the signal's number.
const (
	exitOK     = 0 // the listing is complete
	exitFailed = 1 // a request failed: the printed NextToken continues
	exitUsage  = 2 // bad flags or input, a refused token, a repeated token
)

// listing is how a listing ended: n sessions delivered (and printed, for
// text), the error that stopped it, if any, the operation that failed and,
// in space mode, the dev environment it was listing, and werr, an error
// writing standard output.
type listing struct {
	n       int
	err     error
	op, env string
	werr    error
}

// say prints one line on standard error with the command's prefix.
func (c command) say(format string, args ...any) {
	fmt.Fprintf(c.stderr, "list-sessions: "+format+"\n", args...)
}

// refused reports a command line that parse refused and returns its exit
// status: 0 for --help, whose usage goes to standard output, else 2.
func (c command) refused(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		usage(c.stdout)
		return exitOK
	}
	c.say("%v", err)
	return exitUsage
}

// finish prints the end of the listing and the reason it stopped, if any,
// and returns the exit status. After an error or a signal it ends the
// output with next, which resumes after the l.n sessions listed (when
// there are any), so that none is lost; when retrying cannot help it
// prints no NextToken, and invalid input prints nothing on standard output.
func (c command) finish(ctx context.Context, l listing, next string, out printer) int {
	if l.werr != nil {
		c.say("writing the output: %v", l.werr)
		return exitFailed
	}
	in, signalled := interruption(ctx)
	var apiErr smithy.APIError
	refused := errors.Is(l.err, devsessions.ErrInvalidStartingToken) && errors.As(l.err, &apiErr)
	switch {
	case l.err == nil:
		if err := out.end(next); err != nil {
			c.say("writing the output: %v", err)
			return exitFailed
		}
		return exitOK
	case errors.Is(l.err, devsessions.ErrInvalidParameter), errors.Is(l.err, devsessions.ErrInvalidStartingToken) && !refused:
		c.say("%s", describeInput(l.err))
		return exitUsage
	case errors.Is(l.err, devsessions.ErrDuplicateToken):
		if l.n > 0 {
			if err := out.end(""); err != nil { // no NextToken: resuming would ask for the same page again
				c.say("writing the output: %v", err)
			}
		}
		c.say("%s", describe(l.err, l.op, l.env))
		listed := ""
		if l.n > 0 {
			listed = fmt.Sprintf("; %d sessions were listed (printed above)", l.n)
		}
		c.say("the listing cannot go on: the service answered a page with a token it had already given, "+
			"so resuming would list the same sessions again%s", listed)
		return exitUsage
	}
	code, reason, before := exitFailed, describe(l.err, l.op, l.env), "the error"
	if signalled && (errors.Is(l.err, context.Canceled) || errors.As(l.err, &interrupted{})) {
		code, reason, before = in.exitCode(), in.Error(), signalName(in.sig)
	}
	if refused {
		code = exitUsage
	}
	if l.n > 0 {
		if err := out.end(next); err != nil {
			c.say("writing the output: %v", err)
		}
	}
	c.say("%s", reason)
	if l.n > 0 && next != "" {
		c.say("%d sessions were listed before %s (printed above); resume with --starting-token %s", l.n, before, next)
	}
	return code
}

// describe turns an error into one line in the AWS CLI's words; op is the
// operation that failed and env, when not "", the dev environment whose
// sessions it was listing.
func describe(err error, op, env string) string {
	var apiErr smithy.APIError
	var urlErr *url.Error
	where := ""
	if env != "" {
		where = " (dev environment " + env + ")"
	}
	switch {
	case cliconfig.IsCertificateError(err):
		return "the endpoint's TLS certificate is not trusted; set AWS_CA_BUNDLE to the PEM file of the authority that signed it"
	case errors.As(err, &apiErr):
		msg := fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", apiErr.ErrorCode(), op, apiErr.ErrorMessage()) + where
		if errors.Is(err, devsessions.ErrInvalidStartingToken) { // the service refused the token
			msg += " (the service refused --starting-token: it may be damaged, or from another listing or endpoint; omit --starting-token to start over)"
		}
		return msg
	case cliconfig.IsConnectionError(err) && errors.As(err, &urlErr):
		return fmt.Sprintf("Could not connect to the endpoint URL: %q", urlErr.URL) + where
	case errors.As(err, &urlErr):
		return fmt.Sprintf("the request to the endpoint URL %q failed: %v", urlErr.URL, urlErr.Err) + where
	case errors.Is(err, devsessions.ErrDuplicateToken):
		return "the service repeated a page token when calling the " + op + " operation" + where
	}
	return oneLine(err) + where
}

// describeInput words a refused input in the command's flags: the library's
// checks come after the command's own, so this is mostly a --starting-token
// that does not decode.
func describeInput(err error) string {
	if errors.Is(err, devsessions.ErrInvalidStartingToken) {
		detail := oneLine(err)
		if _, d, ok := strings.Cut(detail, "StartingToken: "); ok {
			detail = d
		}
		return "--starting-token is not a NextToken this command or the AWS CLI printed (" + detail +
			"): pass the NextToken whole, or omit --starting-token to start over"
	}
	return oneLine(err)
}

// describeSetup words an error building the client: cliconfig's words, with
// the command's flag where it has one.
func describeSetup(err error) string {
	return oneLine(err)
}

// oneLine is err's text without the library's own prefixes, so that a
// message has one prefix, the command's.
func oneLine(err error) string {
	msg := strings.ReplaceAll(err.Error(), "devsessions: ", "")
	msg = strings.TrimPrefix(msg, "invalid starting token: ")
	return strings.ReplaceAll(msg, "\n", " ")
}
