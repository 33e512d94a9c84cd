#include <stdarg.h>
#include <stdio.h>
#include <string.h>


#include "zerr.h"
#include "zfault.h"

int
zfault_set(struct zfault *f, int status, const char *type, const char *fmt, ...)
{
	va_list	ap;

	f->status = status;
	strlcpy(f->type, type, sizeof(f->type));
	f->message[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(f->message, sizeof(f->message), fmt, ap);
		va_end(ap);
	}
	json_decref(f->errors);
	f->errors = NULL;
	return ZE_FAULT;
}

int
zfault_schema(struct zfault *f, const char *validator, json_t *path_new,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];
	json_t	*e;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zfault_set(f, 400, "invalid_object", "%s", msg);
	if (path_new == NULL)
		path_new = json_array();
	e = json_pack("{s:o,s:s,s:s}", "path", path_new, "message", msg,
	    "validator", validator);
	f->errors = json_pack("[o]", e);
	return ZE_FAULT;
}

void
zfault_release(struct zfault *f)
{
	json_decref(f->errors);
	f->errors = NULL;
}

json_t *
zfault_json(const struct zfault *f)
{
	json_t	*o;

	o = json_pack("{s:i,s:s}", "code", f->status, "type", f->type);
	if (o == NULL)
		return NULL;
	if (f->message[0] != '\0')
		json_object_set_new(o, "message", json_string(f->message));
	if (f->errors != NULL)
		json_object_set_new(o, "errors",
		    json_pack("{s:O}", "errors", f->errors));
	return o;
}

int
zfault_from_json(struct zfault *f, const json_t *o)
{
	json_t	*code, *type, *msg, *errs;

	code = json_object_get(o, "code");
	type = json_object_get(o, "type");
	msg = json_object_get(o, "message");
	errs = json_object_get(o, "errors");
	if (!json_is_integer(code) || !json_is_string(type))
		return ZE_BADMSG;
	zfault_set(f, (int)json_integer_value(code), json_string_value(type),
	    "%s", json_is_string(msg) ? json_string_value(msg) : "");
	if (json_is_object(errs) &&
	    (errs = json_object_get(errs, "errors")) != NULL)
		f->errors = json_incref(errs);
	return 0;
}
