package smsvoice

import (
	"github.com/p2c/p2c/internal/emulator/core"
)

type accountAttribute struct {
	Name  string
	Value string
}

// describeAccountAttributes answers as a new account does: in the SMS
// sandbox until AWS Support moves it to production.
func describeAccountAttributes(r *region, c *core.Call, in *paging) (any, *core.Error) {
	items := []accountAttribute{{Name: "ACCOUNT_TIER", Value: "SANDBOX"}}
	pg, next, e := page("DescribeAccountAttributes", *in, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"AccountAttributes": pg, "NextToken": nonEmpty(next)}, nil
}

type spendLimit struct {
	Name          string
	EnforcedLimit int64
	MaxLimit      int64
	Overridden    bool
}

// describeSpendLimits answers with the USD 1 monthly limits a new (sandbox)
// account starts with.
func describeSpendLimits(r *region, c *core.Call, in *paging) (any, *core.Error) {
	items := []spendLimit{
		{Name: "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", EnforcedLimit: 1, MaxLimit: 1},
		{Name: "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", EnforcedLimit: 1, MaxLimit: 1},
		{Name: "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT", EnforcedLimit: 1, MaxLimit: 1},
		{Name: "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT", EnforcedLimit: 1, MaxLimit: 1},
	}
	pg, next, e := page("DescribeSpendLimits", *in, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"SpendLimits": pg, "NextToken": nonEmpty(next)}, nil
}

// maxTags is the TAGS_PER_RESOURCE quota, the model's TagList maximum.
const maxTags = 200

type tagResourceIn struct {
	ResourceArn string
	Tags        []tag
}

func tagResource(r *region, c *core.Call, in *tagResourceIn) (any, *core.Error) {
	tags, e := r.taggable(c, in.ResourceArn)
	if e != nil {
		return nil, e
	}
	merged := mergeTags(*tags, in.Tags)
	if len(merged) > maxTags {
		return nil, quotaExceeded("TAGS_PER_RESOURCE", "A resource can have at most 200 tags.")
	}
	*tags = merged
	return nil, nil
}

type untagResourceIn struct {
	ResourceArn string
	TagKeys     []string
}

func untagResource(r *region, c *core.Call, in *untagResourceIn) (any, *core.Error) {
	tags, e := r.taggable(c, in.ResourceArn)
	if e != nil {
		return nil, e
	}
	var kept []tag
	for _, t := range *tags {
		drop := false
		for _, k := range in.TagKeys {
			if t.Key == k {
				drop = true
			}
		}
		if !drop {
			kept = append(kept, t)
		}
	}
	*tags = kept
	return nil, nil
}

type listTagsIn struct {
	ResourceArn string
}

func listTagsForResource(r *region, c *core.Call, in *listTagsIn) (any, *core.Error) {
	tags, e := r.taggable(c, in.ResourceArn)
	if e != nil {
		return nil, e
	}
	return map[string]any{"ResourceArn": in.ResourceArn, "Tags": tagList(*tags)}, nil
}
