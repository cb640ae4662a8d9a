package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	edgexhttp "github.com/edgexfoundry/go-mod-core-contracts/v4/clients/http"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/errors"

	v3http "github.com/edgexfoundry/go-mod-core-contracts/v3/clients/http"
	v3errors "github.com/edgexfoundry/go-mod-core-contracts/v3/errors"
)

// noAuth is EdgeX's clients' authentication injector for a service without security: no header, the default transport.
type noAuth struct{}

func (noAuth) AddAuthenticationData(*http.Request) error { return nil }
func (noAuth) RoundTripper() http.RoundTripper           { return nil }

// clientCall is one call of EdgeX's own Go HTTP clients: Total is the totalCount (or item count) it decoded.
type clientCall struct {
	Call  string `json:"call"`
	Total *int64 `json:"total,omitempty"`
	Error string `json:"error,omitempty"`
}

func total[N int | int64 | uint32](n N) *int64 {
	v := int64(n)
	return &v
}

// supportClientCalls runs the calls an EdgeX service or tool makes with go-mod-core-contracts' HTTP clients
// (their query parameters — offset, limit, ack, start/end —, their methods, their decoding of our answers) against
// support-notifications and support-scheduler, after the support vectors were sent.
func supportClientCalls(notificationsUrl, schedulerUrl string) []clientCall {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	subscriptions := edgexhttp.NewSubscriptionClient(notificationsUrl, noAuth{}, false)
	notifications := edgexhttp.NewNotificationClient(notificationsUrl, noAuth{}, false)
	transmissions := edgexhttp.NewTransmissionClient(notificationsUrl, noAuth{}, false)
	jobs := edgexhttp.NewScheduleJobClient(schedulerUrl, noAuth{}, false)
	records := edgexhttp.NewScheduleActionRecordClient(schedulerUrl, noAuth{}, false)
	intervals := v3http.NewIntervalClient(schedulerUrl, noAuth{}, false)
	intervalActions := v3http.NewIntervalActionClient(schedulerUrl, noAuth{}, false)
	now := time.Now().UnixMilli()

	var calls []clientCall
	run := func(name string, fn func() (*int64, error)) {
		n, err := fn()
		call := clientCall{Call: name, Total: n}
		if err != nil {
			call.Error = err.Error()
		}
		calls = append(calls, call)
	}
	// Each call returns what it decoded's totalCount and the EdgeX error (a Go nil interface when there is none).
	run("SubscriptionClient.AllSubscriptions(0, -1)", func() (*int64, error) {
		r, err := subscriptions.AllSubscriptions(ctx, 0, -1)
		return total(r.TotalCount), edgexErr(err)
	})
	run("SubscriptionClient.SubscriptionsByCategory(go-health, 0, 20)", func() (*int64, error) {
		r, err := subscriptions.SubscriptionsByCategory(ctx, categoryDelivered, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("SubscriptionClient.SubscriptionsByLabel(rest, 0, 20)", func() (*int64, error) {
		r, err := subscriptions.SubscriptionsByLabel(ctx, labelDelivered, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("SubscriptionClient.SubscriptionsByReceiver(go-receiver, 0, 20)", func() (*int64, error) {
		r, err := subscriptions.SubscriptionsByReceiver(ctx, "go-receiver", 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("SubscriptionClient.SubscriptionByName(go-sub-rest)", func() (*int64, error) {
		r, err := subscriptions.SubscriptionByName(ctx, subRestName)
		return total(len(r.Subscription.Channels)), edgexErr(err)
	})
	run("NotificationClient.NotificationById(category)", func() (*int64, error) {
		r, err := notifications.NotificationById(ctx, noteCategoryId)
		return found(r.Notification.Id == noteCategoryId), edgexErr(err)
	})
	run(`NotificationClient.NotificationsByCategory(go-health, 0, 20, ack "")`, func() (*int64, error) {
		r, err := notifications.NotificationsByCategory(ctx, categoryDelivered, 0, 20, "")
		return total(r.TotalCount), edgexErr(err)
	})
	run(`NotificationClient.NotificationsByLabel(rest, 0, -1, ack "false")`, func() (*int64, error) {
		r, err := notifications.NotificationsByLabel(ctx, labelDelivered, 0, -1, "false")
		return total(r.TotalCount), edgexErr(err)
	})
	run(`NotificationClient.NotificationsByStatus(PROCESSED, 0, 20, ack "")`, func() (*int64, error) {
		r, err := notifications.NotificationsByStatus(ctx, "PROCESSED", 0, 20, "")
		return total(r.TotalCount), edgexErr(err)
	})
	run(`NotificationClient.NotificationsByTimeRange(0, now, 0, 20, ack "")`, func() (*int64, error) {
		r, err := notifications.NotificationsByTimeRange(ctx, 0, now, 0, 20, "")
		return total(r.TotalCount), edgexErr(err)
	})
	run(`NotificationClient.NotificationsBySubscriptionName(go-sub-rest, 0, 20, ack "")`, func() (*int64, error) {
		r, err := notifications.NotificationsBySubscriptionName(ctx, subRestName, 0, 20, "")
		return total(r.TotalCount), edgexErr(err)
	})
	run(`NotificationClient.NotificationsByQueryConditions(0, 20, ack "", category [go-health])`, func() (*int64, error) {
		query := requests.GetNotificationRequest{QueryCondition: requests.NotificationQueryCondition{Category: []string{categoryDelivered}, End: now}}
		query.BaseRequest = base("000000000e01")
		r, err := notifications.NotificationsByQueryConditions(ctx, 0, 20, "", query)
		return total(r.TotalCount), edgexErr(err)
	})
	run("NotificationClient.UpdateNotificationAckStatusByIds(true, [labels])", func() (*int64, error) {
		_, err := notifications.UpdateNotificationAckStatusByIds(ctx, true, []string{noteLabelsId})
		return nil, edgexErr(err)
	})
	run(`NotificationClient.NotificationsByLabel(rest, 0, 20, ack "true")`, func() (*int64, error) {
		r, err := notifications.NotificationsByLabel(ctx, labelDelivered, 0, 20, "true")
		return total(r.TotalCount), edgexErr(err)
	})
	run("TransmissionClient.AllTransmissions(0, -1)", func() (*int64, error) {
		r, err := transmissions.AllTransmissions(ctx, 0, -1)
		return total(r.TotalCount), edgexErr(err)
	})
	run("TransmissionClient.TransmissionsByNotificationId(category, 0, 20)", func() (*int64, error) {
		r, err := transmissions.TransmissionsByNotificationId(ctx, noteCategoryId, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("TransmissionClient.TransmissionsBySubscriptionName(go-sub-rest, 0, 20)", func() (*int64, error) {
		r, err := transmissions.TransmissionsBySubscriptionName(ctx, subRestName, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("TransmissionClient.TransmissionsByStatus(SENT, 0, 20)", func() (*int64, error) {
		r, err := transmissions.TransmissionsByStatus(ctx, "SENT", 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("TransmissionClient.TransmissionsByTimeRange(0, now, 0, 20)", func() (*int64, error) {
		r, err := transmissions.TransmissionsByTimeRange(ctx, 0, now, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleJobClient.AllScheduleJobs(nil, 0, -1)", func() (*int64, error) {
		r, err := jobs.AllScheduleJobs(ctx, nil, 0, -1)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleJobClient.AllScheduleJobs([go], 0, 20)", func() (*int64, error) {
		r, err := jobs.AllScheduleJobs(ctx, []string{"go"}, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleJobClient.ScheduleJobByName(go-job-cron)", func() (*int64, error) {
		r, err := jobs.ScheduleJobByName(ctx, jobCronName)
		return total(len(r.ScheduleJob.Actions)), edgexErr(err)
	})
	run("ScheduleJobClient.TriggerScheduleJobByName(go-job-cron)", func() (*int64, error) {
		_, err := jobs.TriggerScheduleJobByName(ctx, jobCronName)
		return nil, edgexErr(err)
	})
	run("ScheduleActionRecordClient.AllScheduleActionRecords(0, now, 0, -1)", func() (*int64, error) {
		r, err := records.AllScheduleActionRecords(ctx, 0, now, 0, -1)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleActionRecordClient.ScheduleActionRecordsByJobName(go-job-interval, 0, now, 0, 20)", func() (*int64, error) {
		r, err := records.ScheduleActionRecordsByJobName(ctx, jobIntervalName, 0, now, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleActionRecordClient.ScheduleActionRecordsByStatus(SUCCEEDED, 0, now, 0, 20)", func() (*int64, error) {
		r, err := records.ScheduleActionRecordsByStatus(ctx, "SUCCEEDED", 0, now, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleActionRecordClient.ScheduleActionRecordsByJobNameAndStatus(go-job-interval, FAILED, 0, now, 0, 20)", func() (*int64, error) {
		r, err := records.ScheduleActionRecordsByJobNameAndStatus(ctx, jobIntervalName, "FAILED", 0, now, 0, 20)
		return total(r.TotalCount), edgexErr(err)
	})
	run("ScheduleActionRecordClient.LatestScheduleActionRecordsByJobName(go-job-interval)", func() (*int64, error) {
		r, err := records.LatestScheduleActionRecordsByJobName(ctx, jobIntervalName)
		return total(r.TotalCount), edgexErr(err)
	})
	run("v3 IntervalClient.AllIntervals(0, -1)", func() (*int64, error) {
		r, err := intervals.AllIntervals(ctx, 0, -1)
		return total(r.TotalCount), v3Err(err)
	})
	run("v3 IntervalClient.IntervalByName(go-interval)", func() (*int64, error) {
		r, err := intervals.IntervalByName(ctx, intervalName)
		return found(r.Interval.Name == intervalName), v3Err(err)
	})
	run("v3 IntervalActionClient.AllIntervalActions(0, -1)", func() (*int64, error) {
		r, err := intervalActions.AllIntervalActions(ctx, 0, -1)
		return total(r.TotalCount), v3Err(err)
	})
	run("v3 IntervalActionClient.IntervalActionByName(go-interval-action)", func() (*int64, error) {
		r, err := intervalActions.IntervalActionByName(ctx, intervalAction)
		return found(r.Action.Name == intervalAction), v3Err(err)
	})
	return calls
}

// edgexErr and v3Err: the clients' EdgeX error as a plain error (nil when there is none).
func edgexErr(err errors.EdgeX) error {
	if err == nil {
		return nil
	}
	return err
}

func v3Err(err v3errors.EdgeX) error {
	if err == nil {
		return nil
	}
	return err
}

func found(ok bool) *int64 {
	if ok {
		return total(1)
	}
	return total(0)
}

func printSupportClientCalls(out io.Writer, notificationsUrl, schedulerUrl string) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(supportClientCalls(notificationsUrl, schedulerUrl))
}
