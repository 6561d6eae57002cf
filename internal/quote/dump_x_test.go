package quote
import ("testing";"fmt";"os")
func TestDumpX(t *testing.T){ for _,s:=range []string{"html/coastal-herald-strike.html","html/river-gazette-dam.html"}{ b:=exampleBody(t,s); fmt.Println(b); for _,q:=range Find(b){fmt.Printf("  %q <- %q [%s]\n",q.Text,q.Speaker,q.Cue)} }; _=os.Stdout }
