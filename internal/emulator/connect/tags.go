package connect

import (
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"TagResource":         tagResource,
		"UntagResource":       untagResource,
		"ListTagsForResource": listTagsForResource,
	})
}

// tagsOf copies a TagMap member of an input.
func tagsOf(in map[string]any, member string) map[string]any {
	if t := core.Obj(in, member); t != nil {
		return copyMap(t)
	}
	return map[string]any{}
}

// checkTags applies the rules the model's TagKey pattern states with a
// lookahead (no "aws:" prefix) that the validator cannot compile.
func checkTags(s *Service, tags map[string]any) *core.Error {
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return invalidParam("Tag keys starting with aws: are reserved: %s", k)
		}
	}
	if len(tags) > s.limits.TagsPerResource {
		return invalidParam("A resource can have at most %d tags", s.limits.TagsPerResource)
	}
	return nil
}

func (r *region) tagged(a string) (map[string]any, *core.Error) {
	o := r.byArn[a]
	if o == nil {
		return nil, notFound("Resource not found: %s", a)
	}
	t, _ := o["Tags"].(map[string]any)
	if t == nil {
		t = map[string]any{}
		o["Tags"] = t
	}
	return t, nil
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	add := core.Obj(in, "tags")
	merged := copyMap(t)
	for k, v := range add {
		merged[k] = v
	}
	if err := checkTags(s, merged); err != nil {
		return nil, err
	}
	for k, v := range add {
		t[k] = v
	}
	return nil, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	for _, k := range list(in, "tagKeys") {
		if ks, ok := k.(string); ok {
			delete(t, ks)
		}
	}
	return nil, nil
}

func listTagsForResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": copyMap(t)}, nil
}
