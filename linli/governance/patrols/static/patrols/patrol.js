// The patrol phone page: a check-in sends the browser's position with the point, and the
// finding form takes the position on request. Without a position the check-in still goes
// through and is recorded as "no location".
const POSITION = { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 };

function locate(onDone) {
  if (!("geolocation" in navigator)) {
    onDone(null);
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (found) => onDone(found.coords),
    () => onDone(null),
    POSITION,
  );
}

for (const form of document.querySelectorAll("form.check-in")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = form.dataset.labelLocating;
    locate((coords) => {
      if (coords) {
        form.elements.lon.value = coords.longitude;
        form.elements.lat.value = coords.latitude;
        form.elements.accuracy.value = coords.accuracy;
      }
      form.submit();
    });
  });
}

const positionButton = document.getElementById("use-position");
if (positionButton) {
  const status = document.getElementById("position-status");
  positionButton.hidden = false;
  positionButton.addEventListener("click", () => {
    status.textContent = positionButton.dataset.labelLocating;
    locate((coords) => {
      if (!coords) {
        status.textContent = positionButton.dataset.labelNone;
        return;
      }
      document.getElementById("id_lon").value = coords.longitude;
      document.getElementById("id_lat").value = coords.latitude;
      status.textContent = positionButton.dataset.labelFound;
    });
  });
}
