/* Security keys and passkeys (WebAuthn): the browser's half of the two ceremonies.
 *
 * A form marked data-webauthn="register" or "authenticate" carries the server's options in
 * data-webauthn-options (binary values as base64url). On submit the browser asks the key, puts
 * its answer as JSON into the hidden "credential" field and sends the form; the server verifies
 * it. Without JavaScript or WebAuthn the panels stay hidden and the code forms work as before.
 */
(function () {
  "use strict";

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBuffer(item.id), transports: item.transports };
    });
  }

  // The credential in the JSON form py_webauthn reads (base64url for every buffer).
  function asJSON(credential, response) {
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response
    };
  }

  function register(options) {
    options.challenge = toBuffer(options.challenge);
    options.user.id = toBuffer(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: options }).then(function (credential) {
      var response = credential.response;
      return asJSON(credential, {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : []
      });
    });
  }

  function authenticate(options) {
    options.challenge = toBuffer(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: options }).then(function (credential) {
      var response = credential.response;
      return asJSON(credential, {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: toText(response.userHandle)
      });
    });
  }

  var supported = !!(window.PublicKeyCredential && navigator.credentials);

  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    var panel = form.closest("[data-webauthn-panel]") || form;
    if (!supported) {
      document.querySelectorAll("[data-webauthn-unsupported]").forEach(function (note) {
        note.hidden = false;
      });
      return;
    }
    panel.hidden = false;
    document.querySelectorAll("[data-webauthn-nojs]").forEach(function (note) { note.hidden = true; });
    var status = form.querySelector("[data-webauthn-status]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      var name = form.querySelector("input[name=name]");
      // Without a name the server answers with its error message; no key is asked.
      if (name && !name.value.trim()) { return; }
      event.preventDefault();
      if (status) { status.hidden = true; }
      button.disabled = true;
      var options = JSON.parse(form.getAttribute("data-webauthn-options"));
      var ceremony = form.getAttribute("data-webauthn") === "register" ? register : authenticate;
      ceremony(options).then(function (answer) {
        form.querySelector("input[name=credential]").value = JSON.stringify(answer);
        form.submit();
      }, function () {
        // Cancelled, timed out or refused by the browser: the page says so and stays usable.
        button.disabled = false;
        if (status) { status.hidden = false; status.focus(); }
      });
    });
  });
})();
