package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	dtoCommon "github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"

	v3common "github.com/edgexfoundry/go-mod-core-contracts/v3/common"
	v3dtos "github.com/edgexfoundry/go-mod-core-contracts/v3/dtos"
	v3dtoCommon "github.com/edgexfoundry/go-mod-core-contracts/v3/dtos/common"
	v3requests "github.com/edgexfoundry/go-mod-core-contracts/v3/dtos/requests"
	v3responses "github.com/edgexfoundry/go-mod-core-contracts/v3/dtos/responses"
)

// The support services' vectors: subscriptions and notifications (support-notifications), v4 schedule jobs and
// v3 intervals and interval actions (support-scheduler; v4 removed Interval and IntervalAction, so these come from
// go-mod-core-contracts v3.1). The REST channel, REST actions and interval actions point at the test's receiver.
const (
	subRestName       = "go-sub-rest"
	subEmailName      = "go-sub-email"
	subMqttName       = "go-sub-mqtt"
	categoryDelivered = "go-health"
	labelDelivered    = "rest"
	jobIntervalName   = "go-job-interval"
	jobCronName       = "go-job-cron"
	jobMinName        = "go-job-min"
	intervalName      = "go-interval"
	intervalMinName   = "go-interval-min"
	intervalAction    = "go-interval-action"
	intervalActionMin = "go-interval-action-min"
	subCriticalName   = "go-sub-critical"
	subEscalationName = "ESCALATION" // EdgeX sends escalations to the subscription of this name
	categoryCritical  = "go-critical"
	noteCriticalId    = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4c03"
	subEmailId        = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4d01" // given by the client, as EdgeX keeps it
	jobMinId          = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4d02"
	noteCategoryId    = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4c01"
	noteLabelsId      = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4c02"
)

type target struct {
	host string
	port int
}

func (t target) url(path string) string { return fmt.Sprintf("http://%s:%d%s", t.host, t.port, path) }

// supportVectors: the receiver takes every delivery and action; the failing receiver (answering 500) is the channel
// of the CRITICAL subscription, whose transmission is resent and then escalated.
func supportVectors(receiver, failing target) []vector {
	return append(notificationVectors(receiver, failing), schedulerVectors(receiver)...)
}

func notificationVectors(receiver, failing target) []vector {
	rest := dtos.NewRESTAddress(receiver.host, receiver.port, "POST", common.HTTP)
	rest.Path = "/notify"
	restSub := dtos.Subscription{
		Name: subRestName, Channels: []dtos.Address{rest}, Receiver: "go-receiver", Description: "a REST channel",
		Categories: []string{categoryDelivered}, Labels: []string{"go", labelDelivered}, ResendLimit: 2, ResendInterval: "1s",
		AdminState: "UNLOCKED",
	}
	emailSub := dtos.Subscription{
		Id: subEmailId, Name: subEmailName, Channels: []dtos.Address{dtos.NewEmailAddress([]string{"ops@example.com", "oncall@example.com"})},
		Receiver: "go-ops", Categories: []string{"go-mail"}, AdminState: "UNLOCKED",
	}
	mqttSub := dtos.Subscription{
		Name: subMqttName, Channels: []dtos.Address{dtos.NewMQTTAddress("127.0.0.1", 1883, "go-publisher", "edgex/go/notifications")},
		Receiver: "go-bus", Labels: []string{"go-mqtt"}, AdminState: "LOCKED",
	}
	broken := dtos.NewRESTAddress(failing.host, failing.port, "PUT", common.HTTP)
	broken.Path = "/critical"
	criticalSub := dtos.Subscription{
		Name: subCriticalName, Channels: []dtos.Address{broken}, Receiver: "go-oncall", Categories: []string{categoryCritical},
		ResendLimit: 1, ResendInterval: "1s", AdminState: "UNLOCKED",
	}
	escalationChannel := dtos.NewRESTAddress(receiver.host, receiver.port, "POST", common.HTTP)
	escalationChannel.Path = "/escalation"
	escalationSub := dtos.Subscription{
		Name: subEscalationName, Channels: []dtos.Address{escalationChannel}, Receiver: "go-escalation", Categories: []string{"go-escalation"},
		AdminState: "UNLOCKED",
	}
	addSub := func(n string, s dtos.Subscription) requests.AddSubscriptionRequest {
		req := requests.NewAddSubscriptionRequest(s)
		req.BaseRequest = base(n)
		return req
	}
	description := "changed by a Go PATCH"
	name := subRestName
	update := requests.NewUpdateSubscriptionRequest(dtos.UpdateSubscription{Name: &name, Description: &description})
	update.BaseRequest = base("000000000b04")
	emailId, locked := subEmailId, "LOCKED"
	lockById := requests.NewUpdateSubscriptionRequest(dtos.UpdateSubscription{Id: &emailId, AdminState: &locked})
	lockById.BaseRequest = base("000000000b0b")

	byCategory := dtos.NewNotification(nil, categoryDelivered, "go: the gateway is healthy", "go-sender", "NORMAL")
	byCategory.Id = noteCategoryId
	byCategory.ContentType = "text/plain"
	byCategory.Description = "sent with a category only"
	byLabels := dtos.NewNotification([]string{labelDelivered}, "", "go: labels only", "go-sender", "MINOR")
	byLabels.Id = noteLabelsId
	critical := dtos.NewNotification(nil, categoryCritical, "go: the gateway is down", "go-sender", "CRITICAL")
	critical.Id = noteCriticalId
	addNote := func(n string, note dtos.Notification) requests.AddNotificationRequest {
		req := requests.NewAddNotificationRequest(note)
		req.BaseRequest = base(n)
		return req
	}
	const svc = "support-notifications"
	return []vector{
		jsonVector("AddSubscriptionRequest: a REST channel", svc, "POST", "/subscription", "AddSubscriptionRequest[]", "BaseWithIdResponse[]",
			[]requests.AddSubscriptionRequest{addSub("000000000b01", restSub)}, created(1)),
		jsonVector("AddSubscriptionRequest: an EMAIL channel, categories only", svc, "POST", "/subscription", "AddSubscriptionRequest[]", "BaseWithIdResponse[]",
			[]requests.AddSubscriptionRequest{addSub("000000000b02", emailSub)}, created(1)),
		jsonVector("AddSubscriptionRequest: an MQTT channel, labels only", svc, "POST", "/subscription", "AddSubscriptionRequest[]", "BaseWithIdResponse[]",
			[]requests.AddSubscriptionRequest{addSub("000000000b03", mqttSub)}, created(1)),
		jsonVector("AddSubscriptionRequest: a CRITICAL channel and the ESCALATION subscription", svc, "POST", "/subscription", "AddSubscriptionRequest[]", "BaseWithIdResponse[]",
			[]requests.AddSubscriptionRequest{addSub("000000000b07", criticalSub), addSub("000000000b08", escalationSub)}, created(2)),
		jsonVector("AddSubscriptionRequest: a batch with a name that exists", svc, "POST", "/subscription", "AddSubscriptionRequest[]", "BaseWithIdResponse[]",
			[]requests.AddSubscriptionRequest{addSub("000000000b09", emailSub)}, batch(409, 1)),
		jsonVector("UpdateSubscriptionRequest: PATCH a description by name", svc, "PATCH", "/subscription", "UpdateSubscriptionRequest[]", "BaseResponse[]",
			[]requests.UpdateSubscriptionRequest{update}, updated(1)),
		jsonVector("UpdateSubscriptionRequest: PATCH by id (name null)", svc, "PATCH", "/subscription", "UpdateSubscriptionRequest[]", "BaseResponse[]",
			[]requests.UpdateSubscriptionRequest{lockById}, updated(1)),
		jsonVector("AddNotificationRequest: a category only", svc, "POST", "/notification", "AddNotificationRequest[]", "BaseWithIdResponse[]",
			[]requests.AddNotificationRequest{addNote("000000000b05", byCategory)}, created(1)),
		jsonVector("AddNotificationRequest: labels only", svc, "POST", "/notification", "AddNotificationRequest[]", "BaseWithIdResponse[]",
			[]requests.AddNotificationRequest{addNote("000000000b06", byLabels)}, created(1)),
		jsonVector("AddNotificationRequest: CRITICAL, to a receiver that answers 500", svc, "POST", "/notification", "AddNotificationRequest[]", "BaseWithIdResponse[]",
			[]requests.AddNotificationRequest{addNote("000000000b0a", critical)}, created(1)),
	}
}

func schedulerVectors(receiver target) []vector {
	restAction := dtos.ScheduleAction{Type: common.ActionREST, ContentType: common.ContentTypeJSON, Payload: []byte(`{"from":"go"}`),
		RESTAction: dtos.RESTAction{Address: receiver.url("/job"), Method: "POST"}}
	busAction := dtos.ScheduleAction{Type: common.ActionEdgeXMessageBus, ContentType: common.ContentTypeJSON, Payload: []byte(`{"bus":true}`),
		EdgeXMessageBusAction: dtos.EdgeXMessageBusAction{Topic: "edgex/go/scheduled"}}
	deviceAction := dtos.ScheduleAction{Type: common.ActionDeviceControl, ContentType: common.ContentTypeJSON, Payload: []byte(`{"SwitchButton":"true"}`),
		DeviceControlAction: dtos.DeviceControlAction{DeviceName: "go-device", SourceName: "SwitchButton"}}
	intervalJob := dtos.ScheduleJob{
		Name: jobIntervalName, Definition: dtos.ScheduleDef{Type: common.DefInterval, IntervalScheduleDef: dtos.IntervalScheduleDef{Interval: "1h"}},
		Actions: []dtos.ScheduleAction{restAction, busAction}, AdminState: "UNLOCKED", Labels: []string{"go"},
		Properties: map[string]any{"owner": "go", "retries": 3},
	}
	cronJob := dtos.ScheduleJob{
		Name: jobCronName, Definition: dtos.ScheduleDef{Type: common.DefCron, CronScheduleDef: dtos.CronScheduleDef{Crontab: "0 0 3 * * *"},
			StartTimestamp: 1767225600000, EndTimestamp: 4102444800000},
		AutoTriggerMissedRecords: true, Actions: []dtos.ScheduleAction{deviceAction}, AdminState: "LOCKED",
	}
	// Zero values: no admin state, nil labels and properties ("properties": null), an action without payload.
	minJob := dtos.ScheduleJob{
		Id:         jobMinId,
		Name:       jobMinName,
		Definition: dtos.ScheduleDef{Type: common.DefInterval, IntervalScheduleDef: dtos.IntervalScheduleDef{Interval: "30m"}},
		Actions:    []dtos.ScheduleAction{{Type: common.ActionREST, RESTAction: dtos.RESTAction{Address: receiver.url("/min"), Method: "GET"}}},
	}
	addJob := func(n string, job dtos.ScheduleJob) requests.AddScheduleJobRequest {
		req := requests.NewAddScheduleJobRequest(job)
		req.BaseRequest = base(n)
		return req
	}
	intervalJobName, cronJobName := jobIntervalName, jobCronName
	unlocked := "UNLOCKED"
	redefine := requests.NewUpdateScheduleJobRequest(dtos.UpdateScheduleJob{Name: &intervalJobName,
		Definition: &dtos.ScheduleDef{Type: common.DefInterval, IntervalScheduleDef: dtos.IntervalScheduleDef{Interval: "2h"}}})
	redefine.BaseRequest = base("000000000c04")
	unlock := requests.NewUpdateScheduleJobRequest(dtos.UpdateScheduleJob{Name: &cronJobName, AdminState: &unlocked,
		Definition: &dtos.ScheduleDef{Type: common.DefCron, CronScheduleDef: dtos.CronScheduleDef{Crontab: "0 30 4 * * *"}},
		Actions:    []dtos.ScheduleAction{deviceAction, restAction}})
	unlock.BaseRequest = base("000000000c05")
	minId, lockedJob := jobMinId, "LOCKED"
	lockJobById := requests.NewUpdateScheduleJobRequest(dtos.UpdateScheduleJob{Id: &minId, AdminState: &lockedJob})
	lockJobById.BaseRequest = base("000000000c07")

	const svc = "support-scheduler"
	vectors := []vector{
		jsonVector("AddScheduleJobRequest: INTERVAL with REST and EDGEXMESSAGEBUS actions", svc, "POST", "/job", "AddScheduleJobRequest[]", "BaseWithIdResponse[]",
			[]requests.AddScheduleJobRequest{addJob("000000000c01", intervalJob)}, created(1)),
		jsonVector("AddScheduleJobRequest: CRON with a DEVICECONTROL action", svc, "POST", "/job", "AddScheduleJobRequest[]", "BaseWithIdResponse[]",
			[]requests.AddScheduleJobRequest{addJob("000000000c02", cronJob)}, created(1)),
		jsonVector("AddScheduleJobRequest: zero values", svc, "POST", "/job", "AddScheduleJobRequest[]", "BaseWithIdResponse[]",
			[]requests.AddScheduleJobRequest{addJob("000000000c03", minJob)}, created(1)),
		jsonVector("AddScheduleJobRequest: a batch with a name that exists", svc, "POST", "/job", "AddScheduleJobRequest[]", "BaseWithIdResponse[]",
			[]requests.AddScheduleJobRequest{addJob("000000000c06", minJob)}, batch(409, 1)),
		jsonVector("UpdateScheduleJobRequest: PATCH an INTERVAL definition", svc, "PATCH", "/job", "UpdateScheduleJobRequest[]", "BaseResponse[]",
			[]requests.UpdateScheduleJobRequest{redefine}, updated(1)),
		jsonVector("UpdateScheduleJobRequest: PATCH a CRON definition, admin state and actions", svc, "PATCH", "/job", "UpdateScheduleJobRequest[]", "BaseResponse[]",
			[]requests.UpdateScheduleJobRequest{unlock}, updated(1)),
		jsonVector("UpdateScheduleJobRequest: PATCH by id (name null)", svc, "PATCH", "/job", "UpdateScheduleJobRequest[]", "BaseResponse[]",
			[]requests.UpdateScheduleJobRequest{lockJobById}, updated(1)),
	}
	return append(vectors, intervalVectors(receiver)...)
}

func v3base(n string) v3dtoCommon.BaseRequest {
	return v3dtoCommon.BaseRequest{Versionable: v3dtoCommon.NewVersionable(), RequestId: requestId(n)}
}

func intervalVectors(receiver target) []vector {
	interval := v3dtos.NewInterval(intervalName, "1h")
	interval.Start = "20260101T000000"
	interval.End = "20991231T235959"
	addInterval := func(n string, i v3dtos.Interval) v3requests.AddIntervalRequest {
		req := v3requests.NewAddIntervalRequest(i)
		req.BaseRequest = v3base(n)
		return req
	}
	address := v3dtos.NewRESTAddress(receiver.host, receiver.port, "POST")
	address.Path = "/interval-action"
	action := v3dtos.NewIntervalAction(intervalAction, intervalName, address)
	action.Content = `{"from":"go v3"}`
	action.ContentType = v3common.ContentTypeJSON
	action.AdminState = "UNLOCKED"
	action.AuthMethod = "NONE"
	// Zero values: authMethod "" (Go sends it), no content.
	minAction := v3dtos.NewIntervalAction(intervalActionMin, intervalMinName, v3dtos.NewRESTAddress(receiver.host, receiver.port, "GET"))
	minAction.AdminState = "LOCKED"
	orphan := v3dtos.NewIntervalAction("go-interval-action-orphan", "go-no-such-interval", v3dtos.NewRESTAddress(receiver.host, receiver.port, "GET"))
	orphan.AdminState = "UNLOCKED"
	addAction := func(n string, a v3dtos.IntervalAction) v3requests.AddIntervalActionRequest {
		req := v3requests.NewAddIntervalActionRequest(a)
		req.BaseRequest = v3base(n)
		return req
	}
	updateInterval := v3requests.NewUpdateIntervalRequest(v3dtos.NewUpdateInterval(intervalName))
	updateInterval.Interval.Interval = ptr("2h")
	updateInterval.BaseRequest = v3base("000000000d05")
	updateAction := v3requests.NewUpdateIntervalActionRequest(v3dtos.NewUpdateIntervalAction(intervalAction))
	updateAction.Action.AdminState = ptr("LOCKED")
	updateAction.Action.Content = ptr(`{"from":"go v3 PATCH"}`)
	updateAction.BaseRequest = v3base("000000000d06")
	readdress := v3requests.NewUpdateIntervalActionRequest(v3dtos.NewUpdateIntervalAction(intervalActionMin))
	newAddress := v3dtos.NewRESTAddress(receiver.host, receiver.port, "PUT")
	newAddress.Path = "/min-patched"
	readdress.Action.Address = &newAddress
	readdress.BaseRequest = v3base("000000000d09")

	const svc = "support-scheduler"
	return []vector{
		jsonVector("AddIntervalRequest (v3): start, end and interval", svc, "POST", "/interval", "v3.AddIntervalRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalRequest{addInterval("000000000d01", interval)}, created(1)),
		jsonVector("AddIntervalRequest (v3): zero values", svc, "POST", "/interval", "v3.AddIntervalRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalRequest{addInterval("000000000d02", v3dtos.NewInterval(intervalMinName, "10m"))}, created(1)),
		jsonVector("AddIntervalActionRequest (v3): a REST address with content", svc, "POST", "/intervalaction", "v3.AddIntervalActionRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalActionRequest{addAction("000000000d03", action)}, created(1)),
		jsonVector("AddIntervalActionRequest (v3): zero values", svc, "POST", "/intervalaction", "v3.AddIntervalActionRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalActionRequest{addAction("000000000d04", minAction)}, created(1)),
		jsonVector("AddIntervalActionRequest (v3): an interval that does not exist", svc, "POST", "/intervalaction", "v3.AddIntervalActionRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalActionRequest{addAction("000000000d07", orphan)}, batch(404, 1)),
		jsonVector("AddIntervalRequest (v3): a batch with a name that exists", svc, "POST", "/interval", "v3.AddIntervalRequest[]", "BaseWithIdResponse[]",
			[]v3requests.AddIntervalRequest{addInterval("000000000d08", v3dtos.NewInterval(intervalMinName, "5m"))}, batch(409, 1)),
		jsonVector("UpdateIntervalRequest (v3): PATCH the interval", svc, "PATCH", "/interval", "v3.UpdateIntervalRequest[]", "BaseResponse[]",
			[]v3requests.UpdateIntervalRequest{updateInterval}, updated(1)),
		jsonVector("UpdateIntervalActionRequest (v3): PATCH admin state and content", svc, "PATCH", "/intervalaction", "v3.UpdateIntervalActionRequest[]", "BaseResponse[]",
			[]v3requests.UpdateIntervalActionRequest{updateAction}, updated(1)),
		jsonVector("UpdateIntervalActionRequest (v3): PATCH a new address", svc, "PATCH", "/intervalaction", "v3.UpdateIntervalActionRequest[]", "BaseResponse[]",
			[]v3requests.UpdateIntervalActionRequest{readdress}, updated(1)),
	}
}

// supportRequestTypes decode a support vector back through EdgeX's request DTO (whose UnmarshalJSON validates).
var supportRequestTypes = map[string]func() any{
	"AddSubscriptionRequest":         func() any { return new(requests.AddSubscriptionRequest) },
	"UpdateSubscriptionRequest":      func() any { return new(requests.UpdateSubscriptionRequest) },
	"AddNotificationRequest":         func() any { return new(requests.AddNotificationRequest) },
	"AddScheduleJobRequest":          func() any { return new(requests.AddScheduleJobRequest) },
	"UpdateScheduleJobRequest":       func() any { return new(requests.UpdateScheduleJobRequest) },
	"v3.AddIntervalRequest":          func() any { return new(v3requests.AddIntervalRequest) },
	"v3.UpdateIntervalRequest":       func() any { return new(v3requests.UpdateIntervalRequest) },
	"v3.AddIntervalActionRequest":    func() any { return new(v3requests.AddIntervalActionRequest) },
	"v3.UpdateIntervalActionRequest": func() any { return new(v3requests.UpdateIntervalActionRequest) },
}

func decodeSupportVector(v vector) error {
	elem := v.Request[:len(v.Request)-2] // every support vector is a batch
	newValue, known := supportRequestTypes[elem]
	if !known {
		return fmt.Errorf("no request type %q", v.Request)
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(v.Body), &items); err != nil {
		return err
	}
	for i, item := range items {
		if err := json.Unmarshal(item, newValue()); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	return nil
}

func parseTarget(address string) (target, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return target{}, err
	}
	portNumber, err := strconv.Atoi(port)
	if err != nil {
		return target{}, fmt.Errorf("port of %q: %w", address, err)
	}
	return target{host: host, port: portNumber}, nil
}

// printSupportVectors prints the support services' vectors; the receivers are `host:port` of the test's HTTP
// receivers: the one the REST channels, the REST actions and the interval actions call, and one answering 500.
func printSupportVectors(out io.Writer, receiverAddress, failingAddress string) error {
	receiver, err := parseTarget(receiverAddress)
	if err != nil {
		return err
	}
	failing, err := parseTarget(failingAddress)
	if err != nil {
		return err
	}
	vectors := supportVectors(receiver, failing)
	for _, v := range vectors {
		if err := decodeSupportVector(v); err != nil {
			return fmt.Errorf("%s: EdgeX's own request DTO refuses the vector: %w", v.Name, err)
		}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"contracts": "github.com/edgexfoundry/go-mod-core-contracts/v4 v4.0.3, go-mod-core-contracts/v3 v3.1.0 (Interval, IntervalAction)",
		"names": map[string]string{
			"subscriptionRest": subRestName, "subscriptionEmailId": subEmailId, "jobMinId": jobMinId, "subscriptionEmail": subEmailName, "subscriptionMqtt": subMqttName,
			"category": categoryDelivered, "label": labelDelivered, "notificationCategory": noteCategoryId, "notificationCritical": noteCriticalId,
			"subscriptionCritical": subCriticalName, "subscriptionEscalation": subEscalationName, "notificationLabels": noteLabelsId,
			"jobInterval": jobIntervalName, "jobCron": jobCronName, "jobMin": jobMinName,
			"interval": intervalName, "intervalMin": intervalMinName, "intervalAction": intervalAction, "intervalActionMin": intervalActionMin,
		},
		"vectors": vectors,
	})
}

func validateSubscription(s dtos.Subscription) error {
	return requests.AddSubscriptionRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Subscription: s}.Validate()
}

func validateNotification(n dtos.Notification) error {
	return requests.AddNotificationRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Notification: n}.Validate()
}

// validateTransmission: EdgeX's Transmission DTO has no Validate method; its tags and its channel's address.
func validateTransmission(t dtos.Transmission) error {
	if err := common.Validate(t); err != nil {
		return err
	}
	return t.Channel.Validate()
}

func validateScheduleJob(j dtos.ScheduleJob) error {
	req := requests.AddScheduleJobRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, ScheduleJob: j}
	return req.Validate()
}

var v3version = v3dtoCommon.Versionable{ApiVersion: v3common.ApiVersion}

func validateInterval(i v3dtos.Interval) error {
	return v3requests.AddIntervalRequest{BaseRequest: v3dtoCommon.BaseRequest{Versionable: v3version}, Interval: i}.Validate()
}

func validateIntervalAction(a v3dtos.IntervalAction) error {
	return v3requests.AddIntervalActionRequest{BaseRequest: v3dtoCommon.BaseRequest{Versionable: v3version}, Action: a}.Validate()
}

func init() {
	for name, ct := range map[string]checkType{
		"SubscriptionResponse": entityCheck(func(v *responses.SubscriptionResponse) error {
			if err := common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateSubscription(v.Subscription)
		}),
		"MultiSubscriptionsResponse": entityCheck(func(v *responses.MultiSubscriptionsResponse) error {
			if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.Subscriptions, "subscriptions", validateSubscription)
		}),
		"NotificationResponse": entityCheck(func(v *responses.NotificationResponse) error {
			if err := common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateNotification(v.Notification)
		}),
		"MultiNotificationsResponse": entityCheck(func(v *responses.MultiNotificationsResponse) error {
			if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.Notifications, "notifications", validateNotification)
		}),
		"TransmissionResponse": entityCheck(func(v *responses.TransmissionResponse) error {
			if err := common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateTransmission(v.Transmission)
		}),
		"MultiTransmissionsResponse": entityCheck(func(v *responses.MultiTransmissionsResponse) error {
			if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.Transmissions, "transmissions", validateTransmission)
		}),
		"ScheduleJobResponse": entityCheck(func(v *responses.ScheduleJobResponse) error {
			if err := common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateScheduleJob(v.ScheduleJob)
		}),
		"MultiScheduleJobsResponse": entityCheck(func(v *responses.MultiScheduleJobsResponse) error {
			if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.ScheduleJobs, "scheduleJobs", validateScheduleJob)
		}),
		"ScheduleActionRecordResponse": entityCheck(func(v *responses.ScheduleActionRecordResponse) error {
			if err := common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return v.ScheduleActionRecord.Validate()
		}),
		"MultiScheduleActionRecordsResponse": entityCheck(func(v *responses.MultiScheduleActionRecordsResponse) error {
			if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.ScheduleActionRecords, "scheduleActionRecords", func(r dtos.ScheduleActionRecord) error { return r.Validate() })
		}),
		"v3.IntervalResponse": entityCheck(func(v *v3responses.IntervalResponse) error {
			if err := v3common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateInterval(v.Interval)
		}),
		"v3.MultiIntervalsResponse": entityCheck(func(v *v3responses.MultiIntervalsResponse) error {
			if err := v3common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.Intervals, "intervals", validateInterval)
		}),
		"v3.IntervalActionResponse": entityCheck(func(v *v3responses.IntervalActionResponse) error {
			if err := v3common.Validate(v.BaseResponse); err != nil {
				return err
			}
			return validateIntervalAction(v.Action)
		}),
		"v3.MultiIntervalActionsResponse": entityCheck(func(v *v3responses.MultiIntervalActionsResponse) error {
			if err := v3common.Validate(v.BaseWithTotalCountResponse); err != nil {
				return err
			}
			return eachValid(v.Actions, "actions", validateIntervalAction)
		}),
	} {
		checkTypes[name] = ct
	}
}
