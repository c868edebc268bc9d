package paginate

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"maps"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go"

	"github.com/codecatalyst-contrib/devsessions/internal/token"
)

// state is where a Pager is. Every transition is made by step, accept and
// deliver, on this table (a step is one turn of NextPage, Pages, Items or
// Collect):
//
//	state      a step                            next state
//	---------  --------------------------------  -----------------------------------------
//	ready      requests the page at pos          buffered; on failure ready, nothing changed
//	buffered   delivers the page (or one item)   buffered while items remain, then by the
//	                                             page's end: duplicate (its nextToken was
//	                                             sent before, !StopOnDuplicateToken),
//	                                             stopped (MaxItems reached, or that repeat
//	                                             with StopOnDuplicateToken), done (no
//	                                             nextToken), else ready
//	invalid    reports err (invalid input)       failed
//	duplicate  reports err (ErrDuplicateToken)   failed
//	failed     reports err again                 failed
//	stopped    ErrNoMorePages; iterators end     stopped
//	done       ErrNoMorePages; iterators end     done
//
// HasMorePages is true in ready, buffered, invalid and duplicate.
type state uint8

const (
	ready state = iota
	buffered
	invalid
	duplicate
	stopped
	done
	failed
)

// position is how far a run has come: the state, the first item not yet
// delivered and the page buffered, if any. A prefetching goroutine works on
// a clone of it.
type position[Out, Item any] struct {
	st        state
	err       error          // what invalid, duplicate and failed report
	at        token.Position // the first item not yet delivered
	delivered int32          // items delivered by this run
	pages     int            // pages accepted, for error messages
	// seen holds the 64-bit fingerprints (maphash, seeded per paginator) of
	// the tokens this run has sent and of at.NextToken (sent next): a page's
	// nextToken is checked and added when the page is accepted.
	seen map[uint64]struct{}

	out      *Out   // the buffered page (st == buffered)
	rest     []Item // its items still to deliver
	cut, dup bool   // MaxItems cuts out before its end; out's nextToken was sent before
}

// clone returns a copy of s that shares nothing mutable with it.
func (s *position[Out, Item]) clone() position[Out, Item] {
	c := *s
	c.seen = maps.Clone(s.seen)
	return c
}

// Pager is the state machine. The zero value is not usable: call Init.
// A Pager is not safe for concurrent use.
type Pager[Out, Item any] struct {
	spec      *Spec[Out, Item]
	send      Send[Out]
	opts      Options
	pageSize  int32 // maxResults to send; 0 = omit. Never written after Init.
	seed      maphash.Seed
	fromToken bool // the run started from Options.StartingToken
	badInput  bool // pos.err is invalid input: ResumeToken is the start as given
	// badStart is ResumeToken while the input is invalid: the start as
	// given (StartingToken if it decoded, else params.NextToken encoded),
	// or "" when the run started from the first page.
	badStart string

	pos   position[Out, Item]
	ahead []*Out       // pages prefetched after pos.out, in order
	src   func() error // the running prefetching loop's page source, if any
}

// Init sets p up: it validates the input and sets the starting position.
// Invalid input is reported by the first step.
func (p *Pager[Out, Item]) Init(spec *Spec[Out, Item], send Send[Out], start Start, o Options) {
	*p = Pager[Out, Item]{spec: spec, send: send, opts: o, seed: maphash.MakeSeed()}
	p.pos.seen = make(map[uint64]struct{})
	if err := p.setup(start); err != nil {
		p.pos.st, p.pos.err, p.badInput = invalid, err, true
		// setup may have failed before it read the start: ResumeToken still
		// returns the start as given, so saving it never loses a position.
		switch _, derr := p.decodeStart(o.StartingToken); {
		case o.StartingToken != "" && derr == nil:
			p.badStart = o.StartingToken
		case o.StartingToken == "" && start.NextToken != nil && *start.NextToken != "":
			p.badStart = token.Encode(token.Position{NextToken: start.NextToken})
		}
	}
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidParameter}, args...)...)
}

// setup validates the input and sets the starting position and page size.
func (p *Pager[Out, Item]) setup(start Start) error {
	if start.Invalid != "" {
		return invalidf("%s", start.Invalid)
	}
	o, maxSize := p.opts, p.spec.MaxPageSize
	switch {
	case o.MaxItems < 0:
		return invalidf("MaxItems must not be negative (0 means no cap), got %d", o.MaxItems)
	case maxSize == 0 && o.PageSize != 0:
		return invalidf("PageSize is not supported: %s has no page size", p.spec.Operation)
	case o.PageSize < 0 || o.PageSize > maxSize:
		return invalidf("PageSize must be between 1 and %d (0 means params.MaxResults), got %d", maxSize, o.PageSize)
	case start.MaxResults != nil && (*start.MaxResults < 1 || *start.MaxResults > maxSize):
		return invalidf("params.MaxResults must be between 1 and %d (nil means the service default), got %d", maxSize, *start.MaxResults)
	case o.Prefetch < 0 || o.Prefetch > MaxPrefetch:
		return invalidf("Prefetch must be between 0 and %d (0 means no prefetch), got %d", MaxPrefetch, o.Prefetch)
	}
	p.pageSize = o.PageSize
	if p.pageSize == 0 && start.MaxResults != nil {
		p.pageSize = *start.MaxResults
	}
	switch maxToken := p.spec.MaxTokenLength; {
	case o.StartingToken != "":
		pos, err := p.decodeStart(o.StartingToken)
		if err != nil {
			return err
		}
		p.pos.at, p.fromToken = pos, true
	case start.NextToken != nil:
		if n := utf8.RuneCountInString(*start.NextToken); n < 1 || n > maxToken {
			return invalidf("params.NextToken must have 1 to %d characters (nil means the first page), got %d", maxToken, n)
		}
		t := *start.NextToken
		p.pos.at.NextToken = &t
	}
	if t := p.pos.at.NextToken; t != nil {
		p.pos.seen[maphash.String(p.seed, *t)] = struct{}{}
	}
	return nil
}

// decodeStart decodes a StartingToken into a position of this operation.
func (p *Pager[Out, Item]) decodeStart(s string) (token.Position, error) {
	if why := foreign(s); why != "" {
		return token.Position{}, fmt.Errorf("%w: StartingToken: %s", ErrInvalidStartingToken, why)
	}
	pos, err := token.Decode(s)
	if err != nil {
		return pos, fmt.Errorf("%w: StartingToken: %v", ErrInvalidStartingToken, err)
	}
	if t, maxToken := pos.NextToken, p.spec.MaxTokenLength; t != nil {
		if n := utf8.RuneCountInString(*t); n > maxToken {
			return token.Position{}, fmt.Errorf("%w: StartingToken: the service token has %d characters, more than %s allows (%d)",
				ErrInvalidStartingToken, n, p.spec.Operation, maxToken)
		}
	}
	return pos, nil
}

// foreign says why startingToken, a token of a space-wide listing ("dss"
// and a version number, then "."), is not a paginator's, or "". Such a token
// would otherwise be sent to the service as a raw token.
func foreign(startingToken string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(startingToken), "dss")
	digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
	if !ok || digits == 0 || !strings.HasPrefix(rest[digits:], ".") {
		return ""
	}
	return fmt.Sprintf("a SpaceSessions token (%q): it resumes NewSpaceSessions, not a paginator", "dss"+rest[:digits+1]+"...")
}

// HasMorePages reports whether a step has something to return: a page, or
// an error not yet reported.
func (p *Pager[Out, Item]) HasMorePages() bool {
	switch p.pos.st {
	case ready, buffered, invalid, duplicate:
		return true
	}
	return false
}

// step is the one move of the state machine that NextPage and the iterators
// share: it leaves p buffered and returns nil, or returns why it cannot:
// ErrNoMorePages at the end, the permanent error (reported again on every
// later step), or a failed request's error (which changes nothing).
func (p *Pager[Out, Item]) step(fetch func() error) error {
	switch p.pos.st {
	case ready:
		return fetch()
	case buffered:
		return nil
	case invalid, duplicate:
		p.pos.st = failed
		return p.pos.err
	case failed:
		return p.pos.err
	}
	return ErrNoMorePages
}

// NextPage returns the next page. Inside a prefetching loop of the same
// Pager it refuses, with ErrInPrefetchLoop, and changes nothing.
func (p *Pager[Out, Item]) NextPage(ctx context.Context, optFns ...func(*codecatalyst.Options)) (*Out, error) {
	if p.src != nil {
		return nil, p.inLoop()
	}
	return p.nextPage(func() error { return p.fetch(ctx, optFns) })
}

func (p *Pager[Out, Item]) inLoop() error {
	return fmt.Errorf("%w: %s paginator", ErrInPrefetchLoop, p.spec.Operation)
}

// nextPage is NextPage with the page source given.
func (p *Pager[Out, Item]) nextPage(fetch func() error) (*Out, error) {
	if err := p.step(fetch); err != nil {
		return nil, err
	}
	out, rest := p.pos.out, p.pos.rest
	if items, _ := p.spec.Page(out); len(rest) != len(*items) {
		c := *out
		items, _ := p.spec.Page(&c)
		*items = rest
		out = &c
	}
	p.deliver(&p.pos, len(rest))
	return out, nil
}

// ResumeToken returns botocore's token for the first item not delivered: ""
// when nothing remains; while the input is invalid, the start as given (the
// StartingToken if it decoded, else a non-empty params.NextToken encoded,
// else "").
func (p *Pager[Out, Item]) ResumeToken() string {
	switch {
	case p.pos.st == done:
		return ""
	case p.badInput:
		return p.badStart
	}
	return token.Encode(p.pos.at)
}

// Pages iterates over the remaining pages as NextPage returns them.
func (p *Pager[Out, Item]) Pages(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[*Out, error] {
	return func(yield func(*Out, error) bool) {
		if p.src != nil {
			yield(nil, p.inLoop())
			return
		}
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for {
			out, err := p.nextPage(fetch)
			if err == ErrNoMorePages || !yield(out, err) || err != nil {
				return
			}
		}
	}
}

// Items iterates over the remaining items; an item counts as delivered
// when it is yielded.
func (p *Pager[Out, Item]) Items(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		var zero Item
		if p.src != nil {
			yield(zero, p.inLoop())
			return
		}
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for {
			if err := p.step(fetch); err != nil {
				if err != ErrNoMorePages {
					yield(zero, err)
				}
				return
			}
			if len(p.pos.rest) == 0 { // a page with nothing to deliver
				p.deliver(&p.pos, 0)
				continue
			}
			// The position moves past each item before it is yielded, so a
			// break leaves it exact; the loop reads the position afresh
			// for each item, so a loop body that moves the paginator (a
			// NextPage, say) leaves the next item exact too.
			for len(p.pos.rest) > 0 {
				item := p.pos.rest[0]
				p.deliver(&p.pos, 1)
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// Collect returns every remaining item, and on an error the items before it.
func (p *Pager[Out, Item]) Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]Item, error) {
	if p.src != nil {
		return nil, p.inLoop()
	}
	var all []Item
	fetch, stop := p.fetcher(ctx, optFns)
	defer stop()
	for {
		out, err := p.nextPage(fetch)
		switch {
		case err == ErrNoMorePages:
			return all, nil
		case err != nil:
			return all, err
		}
		items, _ := p.spec.Page(out)
		all = append(all, *items...)
	}
}

// fetch obtains the page at pos (from pages prefetched earlier, else with a
// request) and buffers what this run delivers of it. On error it changes no
// state.
func (p *Pager[Out, Item]) fetch(ctx context.Context, optFns []func(*codecatalyst.Options)) error {
	if len(p.ahead) > 0 {
		out := p.ahead[0]
		p.ahead[0] = nil
		p.ahead = p.ahead[1:]
		p.accept(&p.pos, out)
		return nil
	}
	out, err := p.call(ctx, &p.pos, optFns)
	if err != nil {
		return err
	}
	p.accept(&p.pos, out)
	return nil
}

// call sends the request for the page at s. It changes nothing.
func (p *Pager[Out, Item]) call(ctx context.Context, s *position[Out, Item], optFns []func(*codecatalyst.Options)) (*Out, error) {
	op, page := p.spec.Operation, s.pages+1
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("devsessions: %s page %d not requested: %w", op, page, err)
	}
	var maxResults *int32
	switch size := p.requestSize(s); {
	case size == p.pageSize && size > 0:
		maxResults = &p.pageSize // never written after Init
	case size > 0: // cut by MaxItems: at most the last request or two of a run
		v := size
		maxResults = &v
	}
	out, err := p.send(ctx, s.at.NextToken, maxResults, optFns)
	switch {
	// Only a request that carried StartingToken's service token can have
	// been refused for it: a token with a null nextToken sends none.
	case err != nil && page == 1 && p.fromToken && s.at.NextToken != nil && isValidation(err):
		return nil, fmt.Errorf("%w: %s page 1: the service refused the request made from StartingToken, "+
			"which may be damaged or from another listing or endpoint (omit StartingToken to start over): %w",
			ErrInvalidStartingToken, op, err)
	case err != nil:
		return nil, fmt.Errorf("devsessions: %s page %d: %w", op, page, err)
	case out == nil:
		return nil, fmt.Errorf("devsessions: %s page %d: the client returned no output and no error", op, page)
	}
	return out, nil
}

func isValidation(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationException"
}

// requestSize is the maxResults to send: the page size, and under MaxItems
// no more than the items still needed plus those the position skips. It
// never widens a page beyond the page size, so a token from inside any page
// resumes exactly in an AWS CLI run with the same --page-size.
func (p *Pager[Out, Item]) requestSize(s *position[Out, Item]) int32 {
	size := p.pageSize
	if size > 0 && p.opts.MaxItems > 0 {
		need := int64(p.opts.MaxItems-s.delivered) + int64(s.at.Skip) // int64: Skip may be near 2^31
		if int64(size) > need {
			size = int32(need)
		}
	}
	return size
}

// accept buffers the part of out, the page at s, that this run delivers:
// ready -> buffered.
func (p *Pager[Out, Item]) accept(s *position[Out, Item], out *Out) {
	s.pages++
	items, next := p.spec.Page(out)
	s.dup = false
	if next != nil && *next != "" {
		// Added even when the page ends the run (MaxItems): then nothing
		// checks the set again.
		h := maphash.String(p.seed, *next)
		_, s.dup = s.seen[h]
		s.seen[h] = struct{}{}
	}
	first, end := min(s.at.Skip, len(*items)), len(*items)
	s.cut = false
	if p.opts.MaxItems > 0 {
		if left := int(p.opts.MaxItems - s.delivered); end-first > left {
			end, s.cut = first+left, true
		}
	}
	s.st, s.out, s.rest = buffered, out, (*items)[first:end:end]
}

// deliver counts the next n items of the buffered page as delivered and,
// once none is left, leaves buffered for the state that follows the page.
func (p *Pager[Out, Item]) deliver(s *position[Out, Item], n int) {
	s.rest = s.rest[n:]
	s.delivered += int32(n)
	s.at.Skip += n
	if len(s.rest) > 0 {
		return
	}
	items, next := p.spec.Page(s.out)
	s.out, s.rest = nil, nil
	switch {
	case s.dup && !p.opts.StopOnDuplicateToken:
		// The repeated token is never followed, nor taken as the end: the
		// position stays on this page, past what was delivered of it, and
		// the next step reports the repeat (also when MaxItems cut it).
		s.st, s.err = duplicate, fmt.Errorf("%w: %s page %d's nextToken was already sent in this run",
			ErrDuplicateToken, p.spec.Operation, s.pages)
	case s.cut, s.dup: // MaxItems reached inside the page, or a quiet stop on a repeat
		s.st = stopped
	case next == nil || *next == "":
		s.st, s.at = done, token.Position{}
	default:
		// Every item of the page is now behind the position; a skip longer
		// than the page carries over to the next one.
		s.at = token.Position{NextToken: next, Skip: max(s.at.Skip-len(*items), 0)}
		s.st = ready
		if p.opts.MaxItems > 0 && s.delivered >= p.opts.MaxItems {
			s.st = stopped
		}
	}
}
