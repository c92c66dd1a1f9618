// Check-in and check-out on the caregiver's phone: the browser's position is added to the
// form when the caregiver allows it; without it (refused, unavailable, slow) the form is sent
// as it is, since the position is optional.
for (const form of document.querySelectorAll("form[data-locate]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.located || !navigator.geolocation) return;
    event.preventDefault();
    const send = () => {
      form.dataset.located = "1";
      form.submit();
    };
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude;
        form.elements.lon.value = position.coords.longitude;
        send();
      },
      send,
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
    );
  });
}
