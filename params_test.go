package devsessions_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fillParams sets every settable member of the input *in but NextToken and
// MaxResults that its valid params leave unset, so that a request carries
// every member the operation has: strings (and enums) to "opt-" and the
// member's name, lists to one element with every member filled.
func fillParams(in any) {
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		if !f.CanSet() || name == "NextToken" || name == "MaxResults" || !f.IsZero() {
			continue
		}
		f.Set(filled(f.Type(), name))
	}
}

// filled returns a value of type t with everything in it set.
func filled(t reflect.Type, name string) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		v.Elem().Set(filled(t.Elem(), name))
	case reflect.String:
		v.SetString("opt-" + name)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 1, 1))
		v.Index(0).Set(filled(t.Elem(), name))
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)))
			break
		}
		for i := range t.NumField() {
			if v.Field(i).CanSet() {
				v.Field(i).Set(filled(t.Field(i).Type, name+"."+t.Field(i).Name))
			}
		}
	}
	return v
}

// mutate writes through every pointer and slice element reachable from v,
// as a caller reusing its params would.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString("mutated")
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.Struct:
		if t, ok := v.Addr().Interface().(*time.Time); ok {
			*t = t.Add(time.Hour)
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				mutate(v.Field(i))
			}
		}
	}
}

// members returns the input *in as a value without NextToken and
// MaxResults, for comparing what a request carried.
func members(in any) any {
	v := reflect.New(reflect.TypeOf(in).Elem()).Elem()
	v.Set(reflect.ValueOf(in).Elem())
	for _, name := range []string{"NextToken", "MaxResults"} {
		if f := v.FieldByName(name); f.IsValid() {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return v.Interface()
}

// Every member of params is sent with every request, as the caller set it
// when the paginator was built: writing through the caller's pointers and
// slices afterwards (every string, time, filter and filter value) changes
// no request.
func TestParamsAreCopiedDeeplyAndSent(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			params, want := op.params(), op.params()
			fillParams(params)
			fillParams(want)
			var sent []any
			client := &wrappedClient{Client: op.newFake(6), before: func(_ context.Context, in any, _ int) {
				sent = append(sent, members(in))
			}}
			p := op.construct(client, params, po(0, 0, ""))
			mutate(reflect.ValueOf(params))
			if !reflect.ValueOf(members(want)).IsZero() { // ListAccessTokens and ListSpaces have no members
				require.NotEqual(t, members(want), members(params), "the test mutated the caller's params")
			}
			_, _ = p.NextPage(t.Context()) // the fake may refuse the filled members; the request is what counts
			require.Len(t, sent, 1)
			assert.Equal(t, members(want), sent[0], "the request carries every member as set at construction")
			assert.NotContains(t, fmt.Sprint(sent[0]), "mutated")
		})
	}
}
