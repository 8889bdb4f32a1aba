// A Genkit Go app registering schemas, a helper and a partial that its prompts use (read by the code index).
package main

import (
	"context"
	"strings"

	"github.com/firebase/genkit/go/genkit"
)

type DishRequest struct {
	Cuisine string `json:"cuisine"`
}

type Dish struct {
	Name string `json:"name"`
}

func main() {
	g := genkit.Init(context.Background(), genkit.WithPromptDir("genkit-go/prompts"))
	genkit.DefineSchemasFor(g,
		DishRequest{},
		&Dish{},
	)
	genkit.DefineHelper(g, "uppercase", strings.ToUpper)
	genkit.DefinePartial(g, "chefPersona", "You are a chef.")
}
