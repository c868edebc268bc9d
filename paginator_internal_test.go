package devsessions

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The engine's check that a StartingToken is a space-wide listing's (it
// lives in internal/paginate, which cannot see the listing) refuses what the
// listing's own check (spaceToken) says is its token, and names it.
func TestPaginatorsRefuseWhatTheSpaceListingCallsItsToken(t *testing.T) {
	tok := spaceTokenPrefix + "eyJzcGFjZSI6ImRlbW8tc3BhY2UiLCJlbnYiOiIifQ"
	require.NotEmpty(t, spaceToken(tok), "the space-wide listing's own check")
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("demo-space")}
	p := NewListDevEnvironmentsPaginator((*codecatalyst.Client)(nil), in, func(o *PaginatorOptions) { o.StartingToken = tok })
	_, err := p.NextPage(t.Context())
	require.ErrorIs(t, err, ErrInvalidParameter, "the nil client is reported first")
	p = NewListDevEnvironmentsPaginator(&codecatalyst.Client{}, in, func(o *PaginatorOptions) { o.StartingToken = tok })
	_, err = p.NextPage(t.Context())
	require.ErrorIs(t, err, ErrInvalidStartingToken)
	assert.Contains(t, err.Error(), "SpaceSessions")
}
