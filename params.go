package devsessions

import (
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

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

// stringLength refuses a string that is set but outside the model's length
// bounds, min to max characters (max 0: no upper bound), counted as botocore
// counts them (Unicode code points), before any request as botocore's
// ParamValidationError does.
func stringLength(name string, s *string, min, max int) string {
	if s == nil {
		return ""
	}
	n := utf8.RuneCountInString(*s)
	switch {
	case max > 0 && (n < min || n > max):
		return fmt.Sprintf("params.%s must have %d to %d characters (nil leaves it out), got %d", name, min, max, n)
	case n < min:
		return fmt.Sprintf("params.%s must have at least %d characters (nil leaves it out), got %d", name, min, n)
	}
	return ""
}

// listLength refuses a list with more than the model's max members.
func listLength(name string, n, max int) string {
	if n > max {
		return fmt.Sprintf("params.%s must have at most %d members (nil leaves it out), got %d", name, max, n)
	}
	return ""
}

// window refuses a ListEventLogs window whose start is not before its end,
// as the service does; a nil bound is requiredTime's to report.
func window(start, end *time.Time) string {
	if start != nil && end != nil && !start.Before(*end) {
		return fmt.Sprintf("params.StartTime (%s) must be before params.EndTime (%s)",
			start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano))
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
