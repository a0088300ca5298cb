package smsvoice

import (
	"slices"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

type registration struct {
	RegistrationArn           string
	RegistrationId            string
	RegistrationType          string
	RegistrationStatus        string
	CurrentVersionNumber      int64
	ApprovedVersionNumber     int64 `json:",omitempty"`
	LatestDeniedVersionNumber int64 `json:",omitempty"`
	CreatedTimestamp          epoch

	fields *store[fieldValue] // by field path, for the current version
	tags   []tag
}

type fieldValue struct {
	FieldPath                string
	SelectChoices            []string `json:",omitempty"`
	TextValue                string   `json:",omitempty"`
	RegistrationAttachmentId string   `json:",omitempty"`
}

type createRegistrationIn struct {
	RegistrationType string
	Tags             []tag
	ClientToken      *string
}

func createRegistration(r *region, c *core.Call, in *createRegistrationIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		id := r.newID("registration-")
		reg := &registration{
			RegistrationArn: arn(c, "registration", id), RegistrationId: id, RegistrationType: in.RegistrationType,
			RegistrationStatus: "CREATED", CurrentVersionNumber: 1, CreatedTimestamp: epoch(c.Now),
			fields: newStore[fieldValue](), tags: in.Tags,
		}
		r.regs.put(id, reg)
		return withTags(reg, reg.tags), nil
	})
}

func (r *region) registration(c *core.Call, v string) (*registration, *core.Error) {
	id, ok := fromARN(c, "registration", v)
	reg, found := r.regs.get(id)
	if !ok || !found {
		return nil, notFound("registration", v)
	}
	return reg, nil
}

type putRegistrationFieldValueIn struct {
	RegistrationId           string
	FieldPath                string
	SelectChoices            []string
	TextValue                *string
	RegistrationAttachmentId *string
}

func putRegistrationFieldValue(r *region, c *core.Call, in *putRegistrationFieldValueIn) (any, *core.Error) {
	reg, e := r.registration(c, in.RegistrationId)
	if e != nil {
		return nil, e
	}
	if reg.RegistrationStatus != "CREATED" && reg.RegistrationStatus != "REQUIRES_UPDATES" {
		return nil, conflict("EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED", "registration", reg.RegistrationId,
			"Registration %s is %s; its field values cannot be edited.", reg.RegistrationId, reg.RegistrationStatus)
	}
	given := 0
	if in.SelectChoices != nil {
		given++
	}
	if in.TextValue != nil {
		given++
	}
	if in.RegistrationAttachmentId != nil {
		given++
	}
	if given != 1 {
		return nil, invalid("INVALID_PARAMETER", "Exactly one of SelectChoices, TextValue and RegistrationAttachmentId must be given.",
			"SelectChoices", "TextValue", "RegistrationAttachmentId")
	}
	// Field paths are section.field; which fields a type defines is not
	// modelled, only their shape.
	if !strings.Contains(in.FieldPath, ".") {
		return nil, invalid("UNKNOWN_REGISTRATION_FIELD", "Unknown registration field "+in.FieldPath+".", "FieldPath")
	}
	f := &fieldValue{FieldPath: in.FieldPath, SelectChoices: slices.Clone(in.SelectChoices)}
	if in.TextValue != nil {
		f.TextValue = *in.TextValue
	}
	if in.RegistrationAttachmentId != nil {
		f.RegistrationAttachmentId = *in.RegistrationAttachmentId
	}
	reg.fields.put(f.FieldPath, f)
	out := withTags(f, nil)
	delete(out, "Tags")
	out["RegistrationArn"] = reg.RegistrationArn
	out["RegistrationId"] = reg.RegistrationId
	out["VersionNumber"] = reg.CurrentVersionNumber
	return out, nil
}

type describeRegistrationFieldValuesIn struct {
	paging
	RegistrationId string
	VersionNumber  *int64
	SectionPath    *string
	FieldPaths     []string
}

func describeRegistrationFieldValues(r *region, c *core.Call, in *describeRegistrationFieldValuesIn) (any, *core.Error) {
	reg, e := r.registration(c, in.RegistrationId)
	if e != nil {
		return nil, e
	}
	if in.VersionNumber != nil && *in.VersionNumber != reg.CurrentVersionNumber {
		return nil, notFound("registration-version", in.RegistrationId)
	}
	items := reg.fields.list()
	if len(in.FieldPaths) > 0 {
		items = slices.DeleteFunc(items, func(f *fieldValue) bool { return !slices.Contains(in.FieldPaths, f.FieldPath) })
	}
	if in.SectionPath != nil {
		items = slices.DeleteFunc(items, func(f *fieldValue) bool { return !strings.HasPrefix(f.FieldPath, *in.SectionPath+".") })
	}
	pg, next, e := page("DescribeRegistrationFieldValues/"+reg.RegistrationId, in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"RegistrationArn": reg.RegistrationArn, "RegistrationId": reg.RegistrationId,
		"VersionNumber": reg.CurrentVersionNumber, "RegistrationFieldValues": pg, "NextToken": nonEmpty(next)}, nil
}

type describeRegistrationsIn struct {
	paging
	RegistrationIds []string
	Filters         []filter
}

func describeRegistrations(r *region, c *core.Call, in *describeRegistrationsIn) (any, *core.Error) {
	var items []*registration
	if len(in.RegistrationIds) > 0 {
		for _, v := range in.RegistrationIds {
			reg, e := r.registration(c, v)
			if e != nil {
				return nil, e
			}
			items = append(items, reg)
		}
	} else {
		items = r.regs.list()
	}
	items = slices.DeleteFunc(items, func(reg *registration) bool {
		return !match(in.Filters, func(name string) []string {
			switch name {
			case "registration-type":
				return one(reg.RegistrationType)
			case "registration-status":
				return one(reg.RegistrationStatus)
			}
			return nil
		})
	})
	pg, next, e := page("DescribeRegistrations", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"Registrations": pg, "NextToken": nonEmpty(next)}, nil
}
