package profiles

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// estimate is one CreateSegmentEstimate query; its result is computed at
// creation and revealed on the second read, so clients poll as in AWS.
type estimate struct {
	id    string
	count int
	err   string
	polls int
}

// snapshot is one CreateSegmentSnapshot export.
type snapshot struct {
	obj   map[string]any
	polls int
	data  []byte // the export, written to DestinationUri on completion
	key   string
}

// maxSourceDepth bounds segments built on segments.
const maxSourceDepth = 10

func init() {
	register(map[string]handler{
		"CreateSegmentDefinition": createSegment, "GetSegmentDefinition": getSegment,
		"ListSegmentDefinitions": listSegments, "DeleteSegmentDefinition": deleteSegment,
		"GetSegmentMembership": segmentMembership, "CreateSegmentEstimate": createEstimate,
		"GetSegmentEstimate": getEstimate, "CreateSegmentSnapshot": createSnapshot, "GetSegmentSnapshot": getSnapshot,
	})
}

func (d *domain) segment(name string) (map[string]any, *core.Error) {
	o := d.segments[name]
	if o == nil {
		return nil, notFound("Segment definition %s not found in domain %s", name, d.name)
	}
	return o, nil
}

// checkGroups refuses segment groups that reference what does not exist
// or whose dimensions are not exactly one of their union members.
func (d *domain) checkGroups(sg map[string]any) *core.Error {
	for gi, g := range list(sg, "Groups") {
		gm, _ := g.(map[string]any)
		for _, src := range list(gm, "SourceSegments") {
			name := core.Str(src.(map[string]any), "SegmentDefinitionName")
			if d.segments[name] == nil {
				return badRequest("Groups[%d].SourceSegments: segment definition %s does not exist", gi, name)
			}
		}
		for di, dim := range list(gm, "Dimensions") {
			dm, _ := dim.(map[string]any)
			if len(dm) != 1 {
				return badRequest("Groups[%d].Dimensions[%d] must set exactly one of ProfileAttributes and CalculatedAttributes", gi, di)
			}
			for name := range core.Obj(dm, "CalculatedAttributes") {
				if d.calcs[name] == nil {
					return badRequest("Groups[%d].Dimensions[%d]: calculated attribute %s does not exist", gi, di, name)
				}
			}
		}
	}
	return nil
}

func createSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "SegmentDefinitionName")
	if d.segments[name] != nil {
		return nil, badRequest("Segment definition %s already exists", name)
	}
	sg, sql := core.Obj(in, "SegmentGroups"), core.Str(in, "SegmentSqlQuery")
	if (sg == nil) == (sql == "") {
		return nil, badRequest("Exactly one of SegmentGroups and SegmentSqlQuery is required")
	}
	if sg != nil {
		if err := d.checkGroups(sg); err != nil {
			return nil, err
		}
	}
	tags, err := tagsOf(in["Tags"])
	if err != nil {
		return nil, err
	}
	o := map[string]any{"SegmentDefinitionName": name, "CreatedAt": stamp(c.Now), "Tags": tags,
		"SegmentDefinitionArn": arn(r.name, "domains/"+d.name+"/segment-definitions/"+name), "SegmentType": "CLASSIC"}
	if sql != "" {
		o["SegmentType"] = "ENHANCED"
	}
	for _, k := range []string{"DisplayName", "Description", "SegmentGroups", "SegmentSqlQuery", "SegmentSort"} {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	d.segments[name] = o
	return copyMap(o), nil
}

func getSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.segment(core.Str(in, "SegmentDefinitionName"))
	if err != nil {
		return nil, err
	}
	return copyMap(o), nil
}

func listSegments(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, n := range sortedKeys(d.segments) {
		items = append(items, copyMap(d.segments[n]))
	}
	return listPage("segment-definitions/"+d.name, items, in)
}

func deleteSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "SegmentDefinitionName")
	if _, err := d.segment(name); err != nil {
		return nil, err
	}
	delete(d.segments, name)
	return message("Segment definition " + name + " was deleted."), nil
}

// membership -----------------------------------------------------------------

// inGroups evaluates a SegmentGroup (or SegmentGroupStructure) for a
// profile: each group is its source segments (combined by SourceType) and
// its dimensions (combined by Type); groups combine by Include.
func (d *domain) inGroups(sg map[string]any, p *profile, now time.Time, depth int) bool {
	var groups []bool
	for _, g := range list(sg, "Groups") {
		gm, _ := g.(map[string]any)
		in := true
		if srcs := list(gm, "SourceSegments"); len(srcs) > 0 {
			var rs []bool
			for _, src := range srcs {
				rs = append(rs, d.inSegment(core.Str(src.(map[string]any), "SegmentDefinitionName"), p, now, depth+1))
			}
			in = combine(core.Str(gm, "SourceType"), rs)
		}
		var dims []bool
		for _, dim := range list(gm, "Dimensions") {
			dims = append(dims, d.dimension(dim.(map[string]any), p, now))
		}
		groups = append(groups, in && combine(core.Str(gm, "Type"), dims))
	}
	return combine(core.Str(sg, "Include"), groups)
}

func (d *domain) inSegment(name string, p *profile, now time.Time, depth int) bool {
	def := d.segments[name]
	if def == nil || depth > maxSourceDepth {
		return false
	}
	return d.inGroups(core.Obj(def, "SegmentGroups"), p, now, depth)
}

// dimension evaluates one Dimension: every condition it sets must hold.
func (d *domain) dimension(dim map[string]any, p *profile, now time.Time) bool {
	conds := []bool{}
	cond := func(c map[string]any, v string, present bool) {
		conds = append(conds, matchDim(core.Str(c, "DimensionType"), strs(c["Values"]), v, present))
	}
	for field, c := range core.Obj(dim, "ProfileAttributes") {
		cm, _ := c.(map[string]any)
		switch {
		case field == "Attributes":
			attrs := core.Obj(p.obj, "Attributes")
			for key, a := range cm {
				v, present := attrs[key].(string)
				cond(a.(map[string]any), v, present)
			}
		case addressKinds[field]:
			addr := core.Obj(p.obj, field)
			for member, a := range cm {
				v, present := addr[member].(string)
				cond(a.(map[string]any), v, present)
			}
		case field == "ProfileType":
			v := core.Str(p.obj, "ProfileType")
			if v == "" {
				v = "PROFILE"
			}
			cond(cm, v, true)
		default:
			v, present := p.obj[field].(string)
			cond(cm, v, present)
		}
	}
	for name, c := range core.Obj(dim, "CalculatedAttributes") {
		cm, _ := c.(map[string]any)
		def := d.calcs[name]
		if def == nil {
			conds = append(conds, false)
			continue
		}
		v, ok, _ := d.calcValue(def, p, core.Obj(core.Obj(cm, "ConditionOverrides"), "Range"), now)
		cond(cm, v, ok)
	}
	return combine("ALL", conds)
}

func segmentMembership(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "SegmentDefinitionName")
	def, err := d.segment(name)
	if err != nil {
		return nil, err
	}
	ids := strs(in["ProfileIds"])
	if len(ids) > maxMembershipProfiles {
		return nil, badRequest("At most %d profile ids are allowed", maxMembershipProfiles)
	}
	profiles, failures := []any{}, []any{}
	for _, id := range ids {
		p := d.profiles[id]
		switch {
		case p == nil:
			failures = append(failures, map[string]any{"ProfileId": id, "Message": "Profile not found", "Status": 404})
		case def["SegmentGroups"] == nil:
			failures = append(failures, map[string]any{"ProfileId": id, "Message": "The p2c emulator does not evaluate SQL segment definitions", "Status": 400})
		case d.inSegment(name, p, c.Now, 0):
			profiles = append(profiles, map[string]any{"ProfileId": id, "QueryResult": "PRESENT", "Profile": copyMap(p.obj)})
		default:
			profiles = append(profiles, map[string]any{"ProfileId": id, "QueryResult": "ABSENT"})
		}
	}
	return map[string]any{"SegmentDefinitionName": name, "Profiles": profiles, "Failures": failures, "LastComputedAt": stamp(c.Now)}, nil
}

// members lists the profiles of a segment group structure, in creation
// order.
func (d *domain) members(sg map[string]any, now time.Time) []*profile {
	var out []*profile
	for _, id := range d.profIDs {
		if p := d.profiles[id]; d.inGroups(sg, p, now, 0) {
			out = append(out, p)
		}
	}
	return out
}

// estimates ------------------------------------------------------------------

func createEstimate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	q, sql := core.Obj(in, "SegmentQuery"), core.Str(in, "SegmentSqlQuery")
	if (q == nil) == (sql == "") {
		return nil, badRequest("Exactly one of SegmentQuery and SegmentSqlQuery is required")
	}
	e := &estimate{id: s.newID(r.name+"/"+d.name, "estimate")}
	if q != nil {
		if err := d.checkGroups(q); err != nil {
			return nil, err
		}
		e.count = len(d.members(q, c.Now))
	} else {
		e.err = "The p2c emulator does not evaluate SQL segment queries"
	}
	d.estimates[e.id] = e
	return map[string]any{"DomainName": d.name, "EstimateId": e.id, "StatusCode": 201}, nil
}

func getEstimate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	e := d.estimates[core.Str(in, "EstimateId")]
	if e == nil {
		return nil, notFound("Segment estimate %s not found", core.Str(in, "EstimateId"))
	}
	e.polls++
	out := map[string]any{"DomainName": d.name, "EstimateId": e.id}
	switch {
	case e.polls == 1:
		out["Status"], out["StatusCode"] = "RUNNING", 202
	case e.err != "":
		out["Status"], out["Message"], out["StatusCode"] = "FAILED", e.err, 200
	default:
		out["Status"], out["Estimate"], out["StatusCode"] = "SUCCEEDED", strconv.Itoa(e.count)+" profiles", 200
	}
	return out, nil
}

// snapshots ------------------------------------------------------------------

func createSnapshot(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "SegmentDefinitionName")
	def, err := d.segment(name)
	if err != nil {
		return nil, err
	}
	if day := dayOf(c.Now); d.snapDay != day {
		d.snapDay, d.snapCount = day, 0
	}
	if d.snapCount >= maxSnapshotsPerDay {
		return nil, badRequest("The domain has reached the maximum of %d segment snapshots per day", maxSnapshotsPerDay)
	}
	dest := core.Str(in, "DestinationUri")
	if dest != "" && !strings.HasPrefix(dest, "s3://") {
		return nil, badRequest("DestinationUri must be an s3:// URI")
	}
	d.snapCount++
	id := s.newID(r.name+"/"+d.name, "snapshot")
	o := map[string]any{"SnapshotId": id, "Status": "IN_PROGRESS"}
	for _, k := range []string{"DataFormat", "EncryptionKey", "RoleArn", "DestinationUri"} {
		if v, ok := in[k]; ok {
			o[k] = v
		}
	}
	snap := &snapshot{obj: o, key: name + "/" + id}
	if def["SegmentGroups"] == nil {
		o["StatusMessage"] = "The p2c emulator does not evaluate SQL segment definitions"
		snap.data = nil
	} else {
		snap.data = export(d.members(core.Obj(def, "SegmentGroups"), c.Now), core.Str(in, "DataFormat"))
	}
	d.snapshots[snap.key] = snap
	return map[string]any{"SnapshotId": id}, nil
}

// export renders segment members in a snapshot's format. ORC is written
// as JSON lines: nothing in p2c reads ORC.
func export(members []*profile, format string) []byte {
	var buf bytes.Buffer
	if format == "CSV" {
		cols := []string{"ProfileId", "AccountNumber", "FirstName", "LastName", "EmailAddress", "PhoneNumber", "MobilePhoneNumber"}
		attrs := map[string]bool{}
		for _, p := range members {
			for k := range core.Obj(p.obj, "Attributes") {
				attrs[k] = true
			}
		}
		keys := sortedKeys(attrs)
		w := csv.NewWriter(&buf)
		header := append([]string(nil), cols...)
		for _, k := range keys {
			header = append(header, "Attributes."+k)
		}
		_ = w.Write(header)
		for _, p := range members {
			var row []string
			for _, col := range cols {
				row = append(row, core.Str(p.obj, col))
			}
			for _, k := range keys {
				row = append(row, core.Str(core.Obj(p.obj, "Attributes"), k))
			}
			_ = w.Write(row)
		}
		w.Flush()
		return buf.Bytes()
	}
	for _, p := range members {
		b, _ := json.Marshal(p.obj)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func getSnapshot(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	snap := d.snapshots[core.Str(in, "SegmentDefinitionName")+"/"+core.Str(in, "SnapshotId")]
	if snap == nil {
		return nil, notFound("Segment snapshot %s not found", core.Str(in, "SnapshotId"))
	}
	snap.polls++
	if snap.polls > 1 && snap.obj["Status"] == "IN_PROGRESS" {
		s.finishSnapshot(snap)
	}
	return copyMap(snap.obj), nil
}

// finishSnapshot completes an export, writing it to its destination in
// the emulator's S3 when one is set.
func (s *Service) finishSnapshot(snap *snapshot) {
	o := snap.obj
	if snap.data == nil {
		o["Status"] = "FAILED"
		return
	}
	dest := core.Str(o, "DestinationUri")
	if dest != "" && s.objs != nil {
		bucket, prefix, _ := strings.Cut(strings.TrimPrefix(dest, "s3://"), "/")
		ext := map[string]string{"CSV": "csv"}[core.Str(o, "DataFormat")]
		if ext == "" {
			ext = "jsonl"
		}
		key := strings.TrimSuffix(prefix, "/")
		if key != "" {
			key += "/"
		}
		key += fmt.Sprintf("%s.%s", core.Str(o, "SnapshotId"), ext)
		if err := s.objs.PutObject(bucket, key, snap.data); err != nil {
			o["Status"], o["StatusMessage"] = "FAILED", fmt.Sprintf("write %s: %v", dest, err)
			return
		}
	}
	o["Status"] = "COMPLETED"
}
