package org.contactbatch.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The address names nothing the console knows: a plain 404, saying nothing more. */
@ResponseStatus(HttpStatus.NOT_FOUND)
class NotFound extends RuntimeException {

    NotFound() {
        super(null, null, false, false);
    }
}
