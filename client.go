package devsessions

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// ListDevEnvironmentSessionsAPIClient is the one method the paginator needs.
// *codecatalyst.Client satisfies it unchanged, and so does the in-memory fake
// in package devsessionstest.
//
// The paginator passes each call a fresh input that it never touches again,
// and treats the returned output as its own until it hands it to the caller:
// an implementation may return a shared output value, because the paginator
// copies an output before it cuts its Items.
type ListDevEnvironmentSessionsAPIClient interface {
	ListDevEnvironmentSessions(ctx context.Context, params *codecatalyst.ListDevEnvironmentSessionsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error)
}
