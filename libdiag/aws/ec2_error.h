/* The error documents EC2 and STS answer a failed Query API call with:
 *   EC2: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
 *   STS (and other awsQuery services):
 *        <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 *   S3 style: <Error><Code/><Message/><RequestId/></Error> */
#ifndef LIBDIAG_AWS_EC2_ERROR_H
#define LIBDIAG_AWS_EC2_ERROR_H

#include <stddef.h>

/* Returns 0 when buf[0..len) is one of the error documents above, filling code, message
 * and request_id (each may be NULL with length 0; an absent element gives ""). With
 * several <Error>s the first one counts. Values are truncated to fit (never inside a
 * UTF-8 sequence) and control characters (C0, DEL, C1) become spaces, so they fit in a one-line
 * message. Returns -1 (outputs set to "") when buf is not XML or not an error document. */
int aws_ec2_error_parse(const char *buf, size_t len, char *code, size_t code_len,
			char *message, size_t msg_len, char *request_id, size_t rid_len);

#endif
