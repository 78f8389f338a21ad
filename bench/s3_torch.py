"""S3 in PyTorch, exactly as the PyTorch lab tutorial writes it, on trials exported by braints.

The tutorial ("Training RNNs on cognitive tasks", ../shared/seeds/003_*.txt): LeakyRNN with
`input2h` and `h2h` as `nn.Linear` (PyTorch's default initialisation, so two biases), `h_new =
relu(input2h(x) + h2h(h))`, `h = h (1 - alpha) + h_new alpha` with alpha = dt / tau = 20 / 100, a
`nn.Linear` readout `fc`, the hidden state starting at zero in every window; Adam lr 0.01 with
PyTorch's defaults, `nn.CrossEntropyLoss` (mean) over every step of every window, no clipping, one
update per window. Scoring as the tutorial's test loop: the argmax of the output at the trial's last
step (the end of the decision period), compared with the ground truth there.

bench/s3Seeds.ts writes a folder per seed and runs this script on it:

    /usr/bin/python3 bench/s3_torch.py DIR

DIR holds meta.json ({"steps", "seqLen", "batch", "obDim", "nTest", "testT", "seed"}), the training
windows train_x.f32 [steps, seqLen, batch, obDim] and train_y.i32 [steps, seqLen, batch], the held-out
trials test_x.f32 [testT, nTest, obDim] with test_step.i32 and test_y.i32 [nTest] (the step read and
its target), and optionally init.json (braints' initial parameters) and ours.json (braints' trained
parameters), each {"wIn" [nIn, H], "wRec" [H, H], "b" [H], "wOut" [H, O], "bOut" [O]} as
{"shape", "data"}.

Prints one JSON line: for each run, the held-out accuracy and the mean training loss per 100 steps.
Runs: "torch" (PyTorch's own initialisation after torch.manual_seed(seed): the recipe as the
tutorial runs it), "oursInit" (braints' initial parameters, when init.json is there and `--ours-init`
is given: same start and same data, so only float rounding differs), and "oursTrained" (braints'
trained parameters scored here, when ours.json is there: checks that both sides run the same
network on the same held-out trials and score them the same way).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


class LeakyRNN(nn.Module):
    """The tutorial's LeakyRNN, as written there."""

    def __init__(self, input_size, hidden_size, dt=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.tau = 100
        self.alpha = 1 if dt is None else dt / self.tau
        self.input2h = nn.Linear(input_size, hidden_size)
        self.h2h = nn.Linear(hidden_size, hidden_size)

    def init_hidden(self, input_shape):
        return torch.zeros(input_shape[1], self.hidden_size)

    def recurrence(self, input, hidden):
        h_new = torch.relu(self.input2h(input) + self.h2h(hidden))
        return hidden * (1 - self.alpha) + h_new * self.alpha

    def forward(self, input, hidden=None):
        if hidden is None:
            hidden = self.init_hidden(input.shape).to(input.device)
        output = []
        for i in range(input.size(0)):
            hidden = self.recurrence(input[i], hidden)
            output.append(hidden)
        return torch.stack(output, dim=0), hidden


class RNNNet(nn.Module):
    """The tutorial's RNNNet: LeakyRNN then a linear readout."""

    def __init__(self, input_size, hidden_size, output_size, **kwargs):
        super().__init__()
        self.rnn = LeakyRNN(input_size, hidden_size, **kwargs)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        rnn_output, _ = self.rnn(x)
        return self.fc(rnn_output), rnn_output


def load_params(net, path):
    """braints' layout ([in, out], one recurrent bias) into the tutorial's nn.Linear layers."""
    with open(path) as f:
        p = json.load(f)
    t = lambda k: torch.tensor(np.array(p[k]["data"], dtype=np.float32).reshape(p[k]["shape"]))
    with torch.no_grad():
        net.rnn.input2h.weight.copy_(t("wIn").T)
        net.rnn.input2h.bias.copy_(t("b"))
        net.rnn.h2h.weight.copy_(t("wRec").T)
        net.rnn.h2h.bias.zero_()
        net.fc.weight.copy_(t("wOut").T)
        net.fc.bias.copy_(t("bOut"))


def train(net, xs, ys, output_size):
    """The tutorial's train_model on the exported windows; mean loss per 100 steps."""
    optimizer = optim.Adam(net.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    running, curve = 0.0, []
    for i in range(xs.shape[0]):
        inputs = torch.from_numpy(xs[i])
        labels = torch.from_numpy(ys[i].flatten()).type(torch.long)
        optimizer.zero_grad()
        output, _ = net(inputs)
        loss = criterion(output.view(-1, output_size), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
        if i % 100 == 99:
            curve.append(running / 100)
            running = 0.0
    return curve


def score(net, x, step, y):
    """Fraction of held-out trials whose argmax at their decision step equals the target there."""
    with torch.no_grad():
        out, _ = net(torch.from_numpy(x))
    out = out.numpy()
    choice = np.argmax(out[step, np.arange(len(step)), :], axis=1)
    return float(np.mean(choice == y))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: s3_torch.py DIR [--ours-init]")
    d = sys.argv[1]
    torch.set_num_threads(1)
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    S, T, B, D = meta["steps"], meta["seqLen"], meta["batch"], meta["obDim"]
    xs = np.fromfile(os.path.join(d, "train_x.f32"), dtype=np.float32).reshape(S, T, B, D)
    ys = np.fromfile(os.path.join(d, "train_y.i32"), dtype=np.int32).reshape(S, T, B)
    n, tt = meta["nTest"], meta["testT"]
    test_x = np.fromfile(os.path.join(d, "test_x.f32"), dtype=np.float32).reshape(tt, n, D)
    test_step = np.fromfile(os.path.join(d, "test_step.i32"), dtype=np.int32)
    test_y = np.fromfile(os.path.join(d, "test_y.i32"), dtype=np.int32)
    out_size, hidden = meta["nActions"], meta["hidden"]
    result = {"seed": meta["seed"]}

    def run(name, init_path=None):
        torch.manual_seed(meta["seed"])
        net = RNNNet(D, hidden, out_size, dt=meta["dtMs"])
        if init_path:
            load_params(net, init_path)
        curve = train(net, xs, ys, out_size)
        result[name] = {"accuracy": score(net, test_x, test_step, test_y), "loss": curve}

    run("torch")
    if "--ours-init" in sys.argv and os.path.exists(os.path.join(d, "init.json")):
        run("oursInit", os.path.join(d, "init.json"))
    if os.path.exists(os.path.join(d, "ours.json")):
        net = RNNNet(D, hidden, out_size, dt=meta["dtMs"])
        load_params(net, os.path.join(d, "ours.json"))
        result["oursTrained"] = {"accuracy": score(net, test_x, test_step, test_y)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
