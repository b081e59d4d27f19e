"""A generator step picks its loss by an argparse option that one choice, `none`, leaves unset.

With `--loss none` no side of the `if`/`elif` chain runs: `loss` still holds the warm-up loss, whose graph its
own backward() freed, and the step's backward() raises.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ArgumentParser:
    """argparse's part used here: a `--name` option with a default and the values it accepts."""

    def __init__(self):
        self.options = {}

    def add_argument(self, flag, type=str, default=None, choices=()):
        self.options[flag.lstrip("-")] = (type, default, tuple(choices))

    def parse_args(self, argv):
        values = {name: default for name, (_, default, _) in self.options.items()}
        for flag, value in zip(argv[::2], argv[1::2]):
            kind, _, choices = self.options[flag.lstrip("-")]
            if choices and kind(value) not in choices:
                raise SystemExit(f"invalid choice: {value!r}")
            values[flag.lstrip("-")] = kind(value)
        args = Options()
        args.__dict__.update(values)
        return args


class Options:
    pass


parser = ArgumentParser()
parser.add_argument("--loss", type=str, default="wgan-gp", choices=["wgan-gp", "r1", "none"])
args = parser.parse_args(["--loss", "none"])


def train(generator, discriminator, g_optimizer, d_optimizer):
    loss = -discriminator(generator(torch.randn(2, 4))).mean()
    loss.backward()
    for i in range(4):
        fake_predict = discriminator(generator(torch.randn(2, 4)).detach())
        if args.loss == "wgan-gp":
            fake_predict = fake_predict.mean()
            fake_predict.backward()
        elif args.loss == "r1":
            fake_predict = F.softplus(fake_predict).mean()
            fake_predict.backward()
        d_optimizer.step()
        if (i + 1) % 2 == 0:
            predict = discriminator(generator(torch.randn(2, 4)))
            if args.loss == "wgan-gp":
                loss = -predict.mean()
            elif args.loss == "r1":
                loss = F.softplus(-predict).mean()
            loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
            g_optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    generator, discriminator = nn.Linear(4, 4), nn.Linear(4, 1)
    g_opt, d_opt = torch.optim.Adam(generator.parameters()), torch.optim.Adam(discriminator.parameters())
    print("loss:", round(train(generator, discriminator, g_opt, d_opt), 4))
