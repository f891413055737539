// Recurring lectures through POST /api/lectures (each occurrence its own lecture with its own
// links, one series id, a capped count) and the calendar feeds per site and per lecture, read by
// a strict RFC 5545 reader, with the tokens that open them and the ones that no longer do.
import { describe, expect, it } from 'vitest';
import { apiRequest } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { httpsRequest } from '../helpers.js';
import { parseIcs, stampMs, unescapeText } from '../icsParse.js';

const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1', SERIES_MAX_LECTURES: '12', CALENDAR_EVENT_MINUTES: '60' });
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const get = (url: string, token?: string) => httpsRequest('GET', url, { ca: ctx.server.certificate, ...(token && { token }) });

describe('recurring lectures', () => {
  it('makes one lecture per occurrence with its own links, shares a series id, and lists them in both feeds', async () => {
    const site = (await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'Şəki' })).json;
    const res = await apiRequest(ctx.server, 'POST', '/api/lectures', {
      title: 'Vergi hüququ, kurs', scheduledStart: '2030-03-04T10:00:00+04:00', trainerName: 'Dr. Əliyev',
      siteIds: [site.site.id], sites: ['Otaq 5'], recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4',
    });
    expect(res.status, res.body).toBe(201);
    const { series } = res.json;
    expect(series.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4');
    expect(series.lectures.map((l: { scheduledStart: string }) => l.scheduledStart)).toEqual([
      '2030-03-04T10:00:00+04:00', '2030-03-06T10:00:00+04:00', '2030-03-11T10:00:00+04:00', '2030-03-13T10:00:00+04:00',
    ]);
    expect(new Set(series.lectures.map((l: { id: string }) => l.id)).size).toBe(4);
    for (const l of series.lectures) expect(l).toMatchObject({ seriesId: series.id, recurrence: series.recurrence, siteIds: [site.site.id] });
    expect(res.json.lecture.id).toBe(series.lectures[0].id);
    const second = await apiRequest(ctx.server, 'GET', `/api/lectures/${series.lectures[1].id}`);
    expect(second.json.links.trainer).not.toBe(res.json.links.trainer);
    const listed = (await apiRequest(ctx.server, 'GET', '/api/lectures')).json.lectures.filter((l: { seriesId: string }) => l.seriesId === series.id);
    expect(listed).toHaveLength(4);

    // The site's feed: with its calendar token (from the registry) or its kiosk link's token.
    const registered = (await apiRequest(ctx.server, 'GET', `/api/sites/${site.site.id}`)).json;
    const feed = await get(registered.calendarUrl);
    expect(feed.status, feed.body).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { calendar, events } = parseIcs(feed.body);
    expect(unescapeText(calendar['X-WR-CALNAME']!)).toBe('Şəki');
    expect(events.map((e) => stampMs(e['DTSTART']!))).toEqual(series.lectures.map((l: { scheduledStart: string }) => Date.parse(l.scheduledStart)));
    expect(events[0]!['DTSTART']).toBe('20300304T060000Z');
    expect(events[0]!['DTEND']).toBe('20300304T070000Z'); // CALENDAR_EVENT_MINUTES
    expect(unescapeText(events[0]!['SUMMARY']!)).toBe('Vergi hüququ, kurs');
    expect(events[0]!['RELATED-TO']).toBe(series.id);
    expect(new Set(events.map((e) => e['UID'])).size).toBe(4);
    const kioskToken = tokenOf(registered.kioskUrl);
    expect((await get(`${ctx.server.url}/api/sites/${site.site.id}/calendar.ics?token=${encodeURIComponent(kioskToken)}`)).status).toBe(200);
    expect((await get(`${ctx.server.url}/api/sites/${site.site.id}/calendar.ics`, kioskToken)).status).toBe(200);
    expect((await get(`${ctx.server.url}/api/sites/${site.site.id}/calendar.ics?token=nope`)).status).toBe(401);
    expect((await get(`${ctx.server.url}/api/sites/${site.site.id}/calendar.ics`)).status).toBe(401);

    // The lecture's feed (the whole series) for attendees: its calendar token or the attendee link's token.
    const lectureFeed = await get(res.json.links.calendar);
    expect(lectureFeed.status, lectureFeed.body).toBe(200);
    expect(parseIcs(lectureFeed.body).events).toHaveLength(4);
    const byAttendee = await get(`${ctx.server.url}/api/lectures/${res.json.lecture.id}/calendar.ics?token=${encodeURIComponent(tokenOf(res.json.links.attendee))}`);
    expect(byAttendee.status).toBe(200);
    const otherLecture = `${ctx.server.url}/api/lectures/${series.lectures[1].id}/calendar.ics?token=${tokenOf(res.json.links.calendar)}`;
    expect((await get(otherLecture)).status).toBe(401);

    // Rotating the kiosk link changes the site's calendar token: the old feed address stops working.
    await apiRequest(ctx.server, 'POST', `/api/sites/${site.site.id}/kiosk-link/rotate`);
    expect((await get(registered.calendarUrl)).status).toBe(401);
  });

  it('refuses a series over SERIES_MAX_LECTURES, one that never ends, and a rule that is not one', async () => {
    const base = { title: 'Too long', scheduledStart: '2030-03-04T10:00:00+04:00', trainerName: 'Dr. Aliyev' };
    const over = await apiRequest(ctx.server, 'POST', '/api/lectures', { ...base, recurrence: 'FREQ=WEEKLY;COUNT=13' });
    expect(over.status).toBe(400);
    expect(over.json.error.message).toMatch(/at most 12 lectures/);
    expect((await apiRequest(ctx.server, 'POST', '/api/lectures', { ...base, recurrence: 'FREQ=WEEKLY;BYDAY=MO' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'POST', '/api/lectures', { ...base, recurrence: 'every monday' })).status).toBe(400);
    expect((await apiRequest(ctx.server, 'POST', '/api/lectures', { ...base, recurrence: 'FREQ=WEEKLY;COUNT=12' })).status).toBe(201);
  });
});
