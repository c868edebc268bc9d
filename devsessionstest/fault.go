package devsessionstest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Fault changes what one call of a [Client] or one HTTP request to a
// [Server] returns; both take the same faults, scripted with Script (the
// n-th call of any operation), ScriptOperation (the n-th call of one
// operation) and ScriptDevEnvironment (the n-th ListDevEnvironmentSessions
// call for one dev environment). The zero Fault changes nothing.
//
// A fault is applied in this order: Latency; then Drop, Err or Status, the
// first set of which answers instead of a page; then the page changes
// (Empty or Extra, then RepeatToken or NextToken). Input the service would
// refuse is refused after Latency and the answering faults, before the page
// changes.
type Fault struct {
	// Latency delays the answer (or the drop) by this much, on top of the
	// Client's Latency or ServerOptions.Latency; a context done meanwhile
	// ends the call with its error (the Server closes the connection).
	Latency time.Duration

	// Drop closes the connection without an answer. The Client returns a
	// *smithyhttp.RequestSendError wrapping io.ErrUnexpectedEOF, which is
	// what the SDK's transport reports for it.
	Drop bool

	// Err, when non-nil, is returned instead of a page. The Server answers
	// with the error's code when it is a smithy.APIError (a *types.X
	// exception, say), with the status the service uses for that code
	// (ValidationException 400, AccessDeniedException 403,
	// ResourceNotFoundException 404, ConflictException 409,
	// ServiceQuotaExceededException 402, ThrottlingException 429, others 400
	// for a client fault and 500 for a server fault), and with 500
	// InternalServerException for any other error.
	Err error

	// Status, when non-zero, answers with this HTTP status and an error
	// instead of a page: 429 for throttling, 500 for a server fault. The
	// Client returns what the SDK would make of that answer: a
	// *types.ThrottlingException, *types.ValidationException (and so on for
	// the service's exceptions) or a *smithy.GenericAPIError for another
	// code.
	Status int
	// Code is the error code sent with Status (X-Amzn-ErrorType). "" means
	// ThrottlingException for 429 and InternalServerException otherwise.
	Code string
	// RetryAfter, when positive, is sent with Status as X-Amz-Retry-After
	// (milliseconds). The Client, which does not retry, ignores it.
	RetryAfter time.Duration

	// Empty returns a page with no items whose nextToken continues at the
	// same item (with a token spelled differently, as a real service would).
	Empty bool
	// Extra adds this many items beyond maxResults (or the default page
	// size) to the page, a service that returns more than asked; the
	// nextToken follows them.
	Extra int
	// RepeatToken makes the page's nextToken the request's own nextToken
	// (none for a first page), as a service stuck on one page would.
	RepeatToken bool
	// NextToken, when non-nil, replaces the page's nextToken: point it at an
	// earlier page's token to make the service repeat or cycle. It takes
	// precedence over RepeatToken.
	NextToken *string
}

// ServerFault is [Fault], the name a Server's faults had before the Client
// and the Server shared one type.
//
// Deprecated: use [Fault].
type ServerFault = Fault

// code is the error code f.Status answers with.
func (f Fault) code() string {
	switch {
	case f.Code != "":
		return f.Code
	case f.Status == http.StatusTooManyRequests:
		return "ThrottlingException"
	}
	return "InternalServerException"
}

// clientError is what the Client returns for an answering fault, nil for
// one that does not answer.
func (f Fault) clientError() error {
	switch {
	case f.Drop:
		return &smithyhttp.RequestSendError{Err: io.ErrUnexpectedEOF}
	case f.Err != nil:
		return f.Err
	case f.Status != 0:
		return apiError(f.code(), "scripted "+f.code(), f.Status >= 500)
	}
	return nil
}

// apiError returns the SDK's typed exception for code, or a
// *smithy.GenericAPIError for a code the model does not define.
func apiError(code, msg string, serverFault bool) error {
	switch code {
	case "ValidationException":
		return &types.ValidationException{Message: &msg}
	case "AccessDeniedException":
		return &types.AccessDeniedException{Message: &msg}
	case "ResourceNotFoundException":
		return &types.ResourceNotFoundException{Message: &msg}
	case "ConflictException":
		return &types.ConflictException{Message: &msg}
	case "ServiceQuotaExceededException":
		return &types.ServiceQuotaExceededException{Message: &msg}
	case "ThrottlingException":
		return &types.ThrottlingException{Message: &msg}
	}
	fault := smithy.FaultClient
	if serverFault {
		fault = smithy.FaultServer
	}
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: fault}
}

// errorAnswer is the HTTP status, error code and message the service
// answers err with (see Fault.Err).
func errorAnswer(err error) (int, string, string) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return http.StatusInternalServerError, "InternalServerException", err.Error()
	}
	status := map[string]int{
		"ValidationException":           http.StatusBadRequest,
		"AccessDeniedException":         http.StatusForbidden,
		"ResourceNotFoundException":     http.StatusNotFound,
		"ConflictException":             http.StatusConflict,
		"ServiceQuotaExceededException": http.StatusPaymentRequired,
		"ThrottlingException":           http.StatusTooManyRequests,
	}[ae.ErrorCode()]
	if status == 0 {
		status = http.StatusBadRequest
		if ae.ErrorFault() == smithy.FaultServer {
			status = http.StatusInternalServerError
		}
	}
	return status, ae.ErrorCode(), ae.ErrorMessage()
}

// script holds the faults scripted on a Client or a Server and counts the
// calls they are numbered by. The owner's mutex guards it.
type script struct {
	all      map[int]Fault
	byOp     map[string]map[int]Fault
	byEnv    map[string]map[int]Fault
	calls    int
	opCalls  map[string]int
	envCalls map[string]int
}

func (s *script) set(call int, f Fault) {
	if s.all == nil {
		s.all = make(map[int]Fault)
	}
	s.all[call] = f
}

func setIn(m *map[string]map[int]Fault, key string, call int, f Fault) {
	if *m == nil {
		*m = make(map[string]map[int]Fault)
	}
	if (*m)[key] == nil {
		(*m)[key] = make(map[int]Fault)
	}
	(*m)[key][call] = f
}

func (s *script) setOp(op string, call int, f Fault)  { setIn(&s.byOp, op, call, f) }
func (s *script) setEnv(id string, call int, f Fault) { setIn(&s.byEnv, id, call, f) }

// next counts a call of op (envID names the dev environment of a
// ListDevEnvironmentSessions call, "" otherwise; op is "" for a path no
// operation serves) and returns its fault: the dev environment's, else the
// operation's, else the global one.
func (s *script) next(op, envID string) Fault {
	s.calls++
	f := s.all[s.calls]
	if op == "" {
		return f
	}
	if s.opCalls == nil {
		s.opCalls = make(map[string]int)
	}
	s.opCalls[op]++
	if of, ok := s.byOp[op][s.opCalls[op]]; ok {
		f = of
	}
	if op == OpListDevEnvironmentSessions {
		if s.envCalls == nil {
			s.envCalls = make(map[string]int)
		}
		s.envCalls[envID]++
		if ef, ok := s.byEnv[envID][s.envCalls[envID]]; ok {
			f = ef
		}
	}
	return f
}

// sleep waits d, or until ctx is done, then returning its error.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
