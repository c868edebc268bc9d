package devsessions

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// ListDevEnvironmentSessionsAPIClient is the one method
// [ListDevEnvironmentSessionsPaginator] needs. *codecatalyst.Client satisfies
// it unchanged, and so do the fakes in package devsessionstest.
//
// The paginator passes each call a fresh input that it never touches again,
// and treats the returned output as its own until it hands it to the caller:
// an implementation may return a shared output value, because the paginator
// copies an output before it cuts its Items.
type ListDevEnvironmentSessionsAPIClient interface {
	ListDevEnvironmentSessions(ctx context.Context, params *codecatalyst.ListDevEnvironmentSessionsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error)
}

// ListDevEnvironmentsAPIClient is the one method [ListDevEnvironmentsPaginator]
// needs, with the same guarantees to implementations as
// [ListDevEnvironmentSessionsAPIClient]. *codecatalyst.Client satisfies it
// unchanged, and so do the fakes in package devsessionstest.
type ListDevEnvironmentsAPIClient interface {
	ListDevEnvironments(ctx context.Context, params *codecatalyst.ListDevEnvironmentsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error)
}
