// The page: starts the training worker and shows what it reports.
const status = document.querySelector("#status");
const epochs = document.querySelector("#epochs");
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => {
  if (data.error) {
    status.textContent = `failed: ${data.error}`;
    status.dataset.state = "failed";
  } else if (data.backend) {
    status.textContent = `training on ${data.backend} with ${data.threads} thread(s)`;
    Object.assign(status.dataset, { backend: data.backend, threads: data.threads, isolated: data.isolated });
  } else if (data.epoch !== undefined) {
    const item = document.createElement("li");
    item.textContent = `loss ${data.loss.toFixed(4)}`;
    item.dataset.loss = String(data.loss);
    epochs.append(item);
  } else if (data.accuracy !== undefined) {
    status.textContent += `; done, held-out accuracy ${data.accuracy.toFixed(3)}`;
    status.dataset.accuracy = String(data.accuracy);
    status.dataset.state = "done";
  }
};
