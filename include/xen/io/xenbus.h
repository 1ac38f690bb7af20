/* SPDX-License-Identifier: MIT */
/*
 * The xenbus device states a frontend and its backend write into their
 * `state` nodes in xenstore, as this project writes them. Numbers from
 * Xen's xen/include/public/io/xenbus.h.
 *
 * The usual course: both start Initialising; the backend publishes its
 * features and goes to InitWait; the frontend reads them, publishes its
 * ring references and event channel and goes to Initialised; the backend
 * connects and goes to Connected, then the frontend does. Either side
 * ends it through Closing to Closed.
 */
#ifndef XEN_IO_XENBUS_H
#define XEN_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,	/* backend: waiting for the frontend's details */
	XenbusStateInitialised = 3,	/* frontend: details written, waiting for the backend */
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8,
};

#endif /* XEN_IO_XENBUS_H */
