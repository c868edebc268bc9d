package paginate

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go"

	"github.com/codecatalyst-contrib/devsessions/internal/token"
)

// state is where a Pager is. Every transition is in Init, nextPage, Items,
// accept and finishPage.
type state uint8

const (
	// ready: no page is buffered; the next step requests the page at pos.
	ready state = iota
	// buffered: a fetched page has items still to deliver (first..end), or has
	// been delivered and waits for finishPage.
	buffered
	// invalid: the input is invalid; the next step reports err, then failed.
	invalid
	// duplicate: the service repeated a token; every item before it has been
	// delivered; the next step reports err, then failed.
	duplicate
	// stopped: MaxItems was reached, or a repeated token ended paging quietly
	// (StopOnDuplicateToken). pos is where a resumed run starts.
	stopped
	// done: the service has no item after the last one delivered.
	done
	// failed: a permanent error (err) has been reported once; NextPage
	// returns it again.
	failed
)

// Pager is the state machine. The zero value is not usable: call Init.
// A Pager is not safe for concurrent use.
type Pager[C, In, Out, Item any] struct {
	spec     *Spec[C, In, Out, Item]
	client   C
	params   In // deep copy, NextToken and MaxResults cleared
	opts     Options
	pageSize int32 // maxResults to send; 0 = omit
	// sizeBox holds pageSize for the requests that send it to point at;
	// never written after Init.
	sizeBox int32

	st       state
	err      error // what invalid, duplicate and failed report
	badInput bool  // err is invalid input: ResumeToken is the start as given

	pos       token.Position // the first item not yet delivered
	fromToken bool           // the run started from Options.StartingToken
	delivered int32          // items delivered by this run
	pages     int            // pages accepted, for error messages

	// The buffered page (st == buffered) and, as indices into its items,
	// those still to deliver: first..end. Indices, not a slice, so that
	// delivering an item writes no pointer (no write barrier while the
	// garbage collector runs).
	out        *Out
	first, end int
	total      int  // len of out's items
	cut        bool // MaxItems cuts the buffered page before its end
	dup        bool // the buffered page's nextToken was already sent

	ahead []*Out       // pages prefetched after out, in order
	src   func() error // the running prefetching loop's page source, if any
	reqs  []In         // inputs allocated ahead; reqs[nextReq:] are unused
	// nextReq indexes the next unused input of reqs.
	nextReq int

	seed maphash.Seed
	// seen holds the fingerprints of the tokens this run has sent and of
	// pos.NextToken (sent next): a page's nextToken is checked and added in
	// one probe when the page is accepted, and hashed once.
	seen fingerprints
}

// Init sets p up: it copies params deeply, validates the input and sets the
// starting position. Invalid input is reported by the first step.
func (p *Pager[C, In, Out, Item]) Init(spec *Spec[C, In, Out, Item], client C, params *In, o Options) {
	*p = Pager[C, In, Out, Item]{spec: spec, client: client, opts: o, seed: maphash.MakeSeed()}
	if params != nil {
		p.params = spec.Copy(params)
	}
	err := p.setup(params)
	p.sizeBox = p.pageSize
	if err != nil {
		p.st, p.err, p.badInput = invalid, err, true
		// setup may have failed before it decoded StartingToken: ResumeToken
		// still returns it as given when it decodes.
		if _, derr := token.Decode(o.StartingToken); o.StartingToken != "" && derr == nil && !p.foreign(o.StartingToken) {
			p.fromToken = true
		}
	}
}

func (p *Pager[C, In, Out, Item]) invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{p.spec.Errors.InvalidParameter}, args...)...)
}

// setup validates the input and sets the starting position and page size.
func (p *Pager[C, In, Out, Item]) setup(params *In) error {
	switch {
	case any(p.client) == nil:
		return p.invalidf("client is nil")
	case params == nil:
		return p.invalidf("params is nil")
	}
	if msg := p.spec.Check(params); msg != "" {
		return p.invalidf("%s", msg)
	}
	nextToken, maxResults := p.spec.Limits(params)
	o, maxSize := p.opts, p.spec.MaxPageSize
	switch {
	case o.MaxItems < 0:
		return p.invalidf("MaxItems must not be negative (0 means no cap), got %d", o.MaxItems)
	case o.PageSize < 0 || o.PageSize > maxSize:
		return p.invalidf("PageSize must be between 1 and %d (0 means params.MaxResults), got %d", maxSize, o.PageSize)
	case maxResults != nil && (*maxResults < 1 || *maxResults > maxSize):
		return p.invalidf("params.MaxResults must be between 1 and %d (nil means the service default), got %d", maxSize, *maxResults)
	case o.Prefetch < 0 || o.Prefetch > MaxPrefetch:
		return p.invalidf("Prefetch must be between 0 and %d (0 means no prefetch), got %d", MaxPrefetch, o.Prefetch)
	}
	p.pageSize = o.PageSize
	if p.pageSize == 0 && maxResults != nil {
		p.pageSize = *maxResults
	}
	switch {
	case o.StartingToken != "":
		if p.foreign(o.StartingToken) {
			return fmt.Errorf("%w: StartingToken: %s", p.spec.Errors.InvalidStartingToken, p.spec.ForeignToken(o.StartingToken))
		}
		pos, err := token.Decode(o.StartingToken)
		if err != nil {
			return fmt.Errorf("%w: StartingToken: %v", p.spec.Errors.InvalidStartingToken, err)
		}
		p.pos, p.fromToken = pos, true
	case nextToken != nil:
		if n := utf8.RuneCountInString(*nextToken); n < 1 || n > token.MaxServiceToken {
			return p.invalidf("params.NextToken must have 1 to %d characters (nil means the first page), got %d", token.MaxServiceToken, n)
		}
		t := *nextToken
		p.pos.NextToken = &t
	}
	if t := p.pos.NextToken; t != nil {
		p.seen.insert(maphash.String(p.seed, *t))
	}
	return nil
}

// foreign reports whether startingToken is another listing's token.
func (p *Pager[C, In, Out, Item]) foreign(startingToken string) bool {
	return p.spec.ForeignToken != nil && p.spec.ForeignToken(startingToken) != ""
}

// HasMorePages reports whether a step has something to return: a page, or
// an error not yet reported.
func (p *Pager[C, In, Out, Item]) HasMorePages() bool {
	switch p.st {
	case ready, buffered, invalid, duplicate:
		return true
	}
	return false
}

// NextPage returns the next page. Inside a prefetching loop of the same
// Pager it refuses, with Errors.InPrefetchLoop, and changes nothing.
func (p *Pager[C, In, Out, Item]) NextPage(ctx context.Context, optFns ...func(*codecatalyst.Options)) (*Out, error) {
	if p.src != nil {
		return nil, p.inLoop()
	}
	return p.nextPage(func() error { return p.fetch(ctx, optFns) })
}

func (p *Pager[C, In, Out, Item]) inLoop() error {
	return fmt.Errorf("%w: %s paginator", p.spec.Errors.InPrefetchLoop, p.spec.Operation)
}

// report moves invalid or duplicate to failed and returns the error.
func (p *Pager[C, In, Out, Item]) report() error {
	p.st = failed
	return p.err
}

// nextPage is NextPage with the page source given.
func (p *Pager[C, In, Out, Item]) nextPage(fetch func() error) (*Out, error) {
	switch p.st {
	case invalid, duplicate:
		return nil, p.report()
	case failed:
		return nil, p.err
	case stopped, done:
		return nil, p.spec.Errors.NoMorePages
	case ready:
		if err := fetch(); err != nil {
			return nil, err
		}
	}
	out := p.out
	if p.first != 0 || p.end != p.total {
		items, _ := p.spec.Page(out)
		out = p.spec.WithItems(out, items[p.first:p.end])
	}
	p.deliverPage()
	return out, nil
}

// ResumeToken returns botocore's token for the first item not delivered: ""
// when nothing remains; while the input is invalid, the StartingToken as
// given if it decoded, else "".
func (p *Pager[C, In, Out, Item]) ResumeToken() string {
	switch {
	case p.st == done:
		return ""
	case p.badInput:
		if p.fromToken {
			return p.opts.StartingToken
		}
		return ""
	}
	return token.Encode(p.pos)
}

// Pages iterates over the remaining pages as NextPage returns them.
func (p *Pager[C, In, Out, Item]) Pages(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[*Out, error] {
	return func(yield func(*Out, error) bool) {
		if p.src != nil {
			yield(nil, p.inLoop())
			return
		}
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for p.HasMorePages() {
			out, err := p.nextPage(fetch)
			if !yield(out, err) || err != nil {
				return
			}
		}
	}
}

// Items iterates over the remaining items; an item counts as delivered
// when it is yielded.
func (p *Pager[C, In, Out, Item]) Items(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		var zero Item
		if p.src != nil {
			yield(zero, p.inLoop())
			return
		}
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for {
			switch p.st {
			case invalid, duplicate:
				yield(zero, p.report())
				return
			case ready:
				if err := fetch(); err != nil {
					yield(zero, err)
					return
				}
			case buffered:
			default:
				return
			}
			// Deliver the page item by item; the state moves past each item
			// before it is yielded, so a break leaves it exact.
			out, end := p.out, p.end
			if p.first == end {
				p.finishPage()
				continue
			}
			items, _ := p.spec.Page(out)
			for i := p.first; i < end; i++ {
				p.first = i + 1
				p.delivered++
				p.pos.Skip++
				if i+1 == end {
					p.finishPage()
				}
				if !yield(items[i], nil) {
					return
				}
				if p.out != out || p.first != i+1 {
					break // the loop body moved the paginator (NextPage, say)
				}
			}
		}
	}
}

// Collect returns every remaining item, and on an error the items before it.
func (p *Pager[C, In, Out, Item]) Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]Item, error) {
	if p.src != nil {
		return nil, p.inLoop()
	}
	var all []Item
	fetch, stop := p.fetcher(ctx, optFns)
	defer stop()
	for p.HasMorePages() {
		out, err := p.nextPage(fetch)
		if err != nil {
			return all, err
		}
		items, _ := p.spec.Page(out)
		all = append(all, items...)
	}
	return all, nil
}

// fetch obtains the page at pos (from pages prefetched earlier, else with a
// request) and buffers what this run delivers of it. On error it changes no
// state.
func (p *Pager[C, In, Out, Item]) fetch(ctx context.Context, optFns []func(*codecatalyst.Options)) error {
	if len(p.ahead) > 0 {
		out := p.ahead[0]
		p.ahead[0] = nil
		p.ahead = p.ahead[1:]
		p.accept(out)
		return nil
	}
	out, err := p.call(ctx, optFns)
	if err != nil {
		return err
	}
	p.accept(out)
	return nil
}

// call sends the request for the page at pos. It changes no state but the
// spare inputs.
func (p *Pager[C, In, Out, Item]) call(ctx context.Context, optFns []func(*codecatalyst.Options)) (*Out, error) {
	op, page := p.spec.Operation, p.pages+1
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("devsessions: %s page %d not requested: %w", op, page, err)
	}
	if p.nextReq == len(p.reqs) { // allocate inputs 8 at a time; each is used once
		p.reqs, p.nextReq = make([]In, min(8, page)), 0
	}
	in := &p.reqs[p.nextReq]
	p.nextReq++
	*in = p.params
	var maxResults *int32
	switch size := p.requestSize(); {
	case size == p.pageSize && size > 0:
		maxResults = &p.sizeBox // never written after Init
	case size > 0: // cut by MaxItems: at most the last request or two of a run
		maxResults = new(int32)
		*maxResults = size
	}
	p.spec.SetLimits(in, p.pos.NextToken, maxResults)
	out, err := p.spec.Call(p.client, ctx, in, optFns...)
	switch {
	case err != nil && page == 1 && p.fromToken && isValidation(err):
		return nil, fmt.Errorf("%w: %s page 1: the service refused the request made from StartingToken, "+
			"which may be damaged or from another listing or endpoint (omit StartingToken to start over): %w",
			p.spec.Errors.InvalidStartingToken, op, err)
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
func (p *Pager[C, In, Out, Item]) requestSize() int32 {
	size := p.pageSize
	if size > 0 && p.opts.MaxItems > 0 {
		need := int64(p.opts.MaxItems-p.delivered) + int64(p.pos.Skip) // int64: Skip may be near 2^31
		if int64(size) > need {
			size = int32(need)
		}
	}
	return size
}

// accept buffers the part of out, the page at pos, that this run delivers:
// ready -> buffered.
func (p *Pager[C, In, Out, Item]) accept(out *Out) {
	p.pages++
	items, next := p.spec.Page(out)
	p.dup = false
	if next != nil && *next != "" {
		// Added even when the page ends the run (MaxItems): then nothing
		// checks the set again.
		p.dup = p.seen.insert(maphash.String(p.seed, *next))
	}
	first, end := min(p.pos.Skip, len(items)), len(items)
	p.cut = false
	if p.opts.MaxItems > 0 {
		if rem := int(p.opts.MaxItems - p.delivered); end-first > rem {
			end, p.cut = first+rem, true
		}
	}
	p.st, p.out, p.first, p.end, p.total = buffered, out, first, end, len(items)
}

// deliverPage counts the rest of the buffered page as delivered.
func (p *Pager[C, In, Out, Item]) deliverPage() {
	p.delivered += int32(p.end - p.first)
	p.pos.Skip += p.end - p.first
	p.first = p.end
	p.finishPage()
}

// finishPage leaves buffered once all of the page that this run delivers has
// been delivered, for the state that follows the page.
func (p *Pager[C, In, Out, Item]) finishPage() {
	items, next := p.spec.Page(p.out)
	p.out = nil
	switch {
	case p.dup && !p.opts.StopOnDuplicateToken:
		// The repeated token is never followed, nor taken as the end: pos
		// stays on this page, past what was delivered of it, and the next
		// step reports the repeat (also when MaxItems cut this page).
		p.st, p.err = duplicate, fmt.Errorf("%w: %s page %d's nextToken was already sent in this run",
			p.spec.Errors.DuplicateToken, p.spec.Operation, p.pages)
	case p.cut, p.dup: // MaxItems reached inside the page, or a quiet stop on a repeat
		p.st = stopped
	case next == nil || *next == "":
		p.st, p.pos = done, token.Position{}
	default:
		// Every item of the page is now behind the position; a skip longer
		// than the page carries over to the next one.
		p.pos = token.Position{NextToken: next, Skip: max(p.pos.Skip-len(items), 0)}
		p.st = ready
		if p.opts.MaxItems > 0 && p.delivered >= p.opts.MaxItems {
			p.st = stopped
		}
	}
}
