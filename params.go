package devsessions

import (
	"fmt"
	"reflect"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// This file holds what the generated constructors (operations.go) use to
// copy and check the caller's params.

// checkClient returns what is wrong with client and params (nil, or a nil
// pointer or other nil value in the interface), or "".
func checkClient(client any, params bool) string {
	if client == nil {
		return "client is nil"
	}
	switch v := reflect.ValueOf(client); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Slice, reflect.Interface:
		if v.IsNil() {
			return fmt.Sprintf("client is a nil %T", client)
		}
	}
	if !params {
		return "params is nil"
	}
	return ""
}

// firstProblem returns the first of msgs that is not "", or "".
func firstProblem(msgs ...string) string {
	for _, m := range msgs {
		if m != "" {
			return m
		}
	}
	return ""
}

// requiredString refuses a nil or empty required string.
func requiredString(name string, s *string) string {
	if s == nil || *s == "" {
		return fmt.Sprintf("params.%s is required and must not be empty", name)
	}
	return ""
}

// requiredTime refuses a nil required timestamp.
func requiredTime(name string, t *time.Time) string {
	if t == nil {
		return fmt.Sprintf("params.%s is required", name)
	}
	return ""
}

// nonEmpty refuses an optional string that is set but empty, where the
// model gives the member a minimum length.
func nonEmpty(name string, s *string) string {
	if s != nil && *s == "" {
		return fmt.Sprintf("params.%s must not be empty (nil leaves it out)", name)
	}
	return ""
}

// cloneString returns a pointer to a copy of *s, or nil.
func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

// cloneTime returns a pointer to a copy of *t, or nil.
func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

// cloneSlice returns a copy of s (nil stays nil), for slices of values that
// point to nothing.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// cloneFilters returns a deep copy of fs (nil stays nil).
func cloneFilters(fs []types.Filter) []types.Filter {
	if fs == nil {
		return nil
	}
	c := make([]types.Filter, len(fs))
	for i, f := range fs {
		c[i] = types.Filter{Key: cloneString(f.Key), ComparisonOperator: cloneString(f.ComparisonOperator), Values: cloneSlice(f.Values)}
	}
	return c
}

// cloneProjectListFilters returns a deep copy of fs (nil stays nil).
func cloneProjectListFilters(fs []types.ProjectListFilter) []types.ProjectListFilter {
	if fs == nil {
		return nil
	}
	c := make([]types.ProjectListFilter, len(fs))
	for i, f := range fs {
		c[i] = types.ProjectListFilter{Key: f.Key, ComparisonOperator: f.ComparisonOperator, Values: cloneSlice(f.Values)}
	}
	return c
}
