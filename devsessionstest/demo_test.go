package devsessionstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func TestDemoDataHoldsEightItemsOfEveryOperationInTheDemoScope(t *testing.T) {
	d := devsessionstest.DemoData(8)
	for _, db := range doubles {
		c, _ := db.make(t, d, 0)
		for _, o := range operations {
			t.Run(db.name+"/"+o.op, func(t *testing.T) {
				got, _ := listAllPages(t, c, o, nil)
				assert.GreaterOrEqual(t, len(got), 8)
			})
		}
		t.Run(db.name+"/every creator is a user", func(t *testing.T) {
			require.NotEmpty(t, d.DevEnvironments)
			for _, e := range d.DevEnvironments {
				u, err := c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: e.CreatorId})
				require.NoError(t, err)
				assert.Equal(t, e.CreatorId, u.UserId)
			}
		})
	}
}

func TestDemoDataIsTheSameEveryTime(t *testing.T) {
	assert.Equal(t, devsessionstest.DemoData(5), devsessionstest.DemoData(5))
	assert.Len(t, devsessionstest.DemoData(5).Sessions, len(devsessionstest.DemoData(0).Sessions)+5)
}

// TestServerAndClientServeTheSameDemoItems checks the wire types on the
// demo's richer items (aliases, repositories, status reasons, descriptions,
// end times, event details): what the real SDK reads from the Server is what
// the fake Client returns.
func TestServerAndClientServeTheSameDemoItems(t *testing.T) {
	d := devsessionstest.DemoData(8)
	client, _ := doubles[0].make(t, d, 0)
	server, _ := doubles[1].make(t, d, 0)
	for _, o := range operations {
		t.Run(o.op, func(t *testing.T) {
			want, _ := listAllPages(t, client, o, nil)
			got, _ := listAllPages(t, server, o, nil)
			assert.Equal(t, want, got)
		})
	}
	for _, u := range devsessionstest.DemoUsers() {
		want, err := client.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: &u.ID})
		require.NoError(t, err)
		got, err := server.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: &u.ID})
		require.NoError(t, err)
		got.ResultMetadata = want.ResultMetadata
		assert.Equal(t, want, got)
	}
}
